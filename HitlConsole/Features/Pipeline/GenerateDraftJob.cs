using Hangfire;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// Thin Hangfire entry point: ids in, the tenant's scope, the handler does the work — on the drafting threads, below the
/// requests' priority (<see cref="Infrastructure.DraftingThreads"/>), so a backlog of drafts never slows webhooks and pages.
/// </summary>
public sealed class GenerateDraftJob(IServiceScopeFactory scopes, Infrastructure.DraftingThreads drafting)
{
    // The handler records failures as visible failed drafts; Hangfire retries would only duplicate work.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid tenantId, Guid messageId, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        var handler = scope.ServiceProvider.GetRequiredService<GenerateDraft>();
        await drafting.RunAsync(() => handler.HandleAsync(messageId, ct), ct);
    }
}
