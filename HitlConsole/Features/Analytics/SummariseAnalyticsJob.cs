using Hangfire;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Analytics;

/// <summary>Every workspace's summary, one workspace at a time in its own scope.</summary>
public sealed class SummariseAnalyticsJob(IServiceScopeFactory scopes)
{
    public const string RecurringId = "summarise-analytics";

    [AutomaticRetry(Attempts = 0), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken ct)
    {
        List<Guid> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct))
            tenants = await db.Tenants.AsNoTracking().Select(t => t.Id).ToListAsync(ct);
        foreach (var tenantId in tenants)
        {
            await using var scope = scopes.CreateTenantScope(tenantId);
            await scope.ServiceProvider.GetRequiredService<AnalyticsSummariser>().SummariseAsync(ct);
        }
    }
}
