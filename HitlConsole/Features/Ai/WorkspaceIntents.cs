using HitlConsole.Features.Knowledge;

namespace HitlConsole.Features.Ai;

public sealed class WorkspaceIntents(IAgentSettingsProvider settings) : IWorkspaceIntents
{
    public async Task<IReadOnlySet<string>> NamesAsync(Guid tenantId, CancellationToken ct) =>
        (await settings.GetAsync(tenantId, ct)).Intents.Intents.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
}
