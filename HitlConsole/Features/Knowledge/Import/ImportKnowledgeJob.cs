using Hangfire;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Knowledge.Import;

public sealed class ImportKnowledgeJob(IServiceScopeFactory scopes)
{
    [AutomaticRetry(Attempts = 0)] // a failed import reports its reason; re-running is the admin's decision
    public async Task RunAsync(Guid tenantId, Guid importId, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(importId, ct);
    }
}
