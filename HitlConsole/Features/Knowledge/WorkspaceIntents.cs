namespace HitlConsole.Features.Knowledge;

/// <summary>
/// The intents a workspace's assistant classifies drafts into (its agent configuration), for the knowledge screens to tell an
/// entry's intent that no draft will ever reach. Implemented by the Ai slice, which depends on this one, not the other way.
/// </summary>
public interface IWorkspaceIntents
{
    Task<IReadOnlySet<string>> NamesAsync(Guid tenantId, CancellationToken ct);
}
