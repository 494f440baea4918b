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
        await scope.ServiceProvider.GetRequiredService<ReviewDraft>().AutoSendAsync(draftId, version, ct);
    }
}
