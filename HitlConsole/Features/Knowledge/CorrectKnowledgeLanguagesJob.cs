using Hangfire;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge;

public sealed class CorrectKnowledgeLanguagesJob(IServiceScopeFactory scopes)
{
    public const string RecurringId = "correct-knowledge-languages";

    [AutomaticRetry(Attempts = 1), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken ct)
    {
        List<Guid> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct))
            tenants = await db.Tenants.AsNoTracking().Select(t => t.Id).ToListAsync(ct);
        foreach (var tenantId in tenants)
        {
            await using var scope = scopes.CreateTenantScope(tenantId);
            await scope.ServiceProvider.GetRequiredService<CorrectKnowledgeLanguages>().RunAsync(ct);
        }
    }
}
