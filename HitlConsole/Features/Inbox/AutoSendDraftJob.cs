using Hangfire;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Inbox;

/// <inheritdoc cref="IAutoSendDraftJob"/>
public sealed class AutoSendDraftJob(IServiceScopeFactory scopes) : IAutoSendDraftJob
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid tenantId, Guid draftId, int version, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        // Nobody supervises a suspended workspace, so its AI sends nothing on its own; the draft waits for review or expiry.
        if (await scope.ServiceProvider.IsSuspendedAsync(tenantId, ct)) return;
        await scope.ServiceProvider.GetRequiredService<ReviewDraft>().AutoSendAsync(draftId, version, ct);
    }
}
