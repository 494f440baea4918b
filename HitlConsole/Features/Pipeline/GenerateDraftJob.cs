using Hangfire;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Pipeline;

/// <summary>Thin Hangfire entry point: ids in, the tenant's scope, the handler does the work.</summary>
public sealed class GenerateDraftJob(IServiceScopeFactory scopes)
{
    // The handler records failures as visible failed drafts; Hangfire retries would only duplicate work.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid tenantId, Guid messageId, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await scope.ServiceProvider.GetRequiredService<GenerateDraft>().HandleAsync(messageId, ct);
    }
}
