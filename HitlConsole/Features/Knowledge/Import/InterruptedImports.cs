using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>
/// Reports imports whose run died with its process (a kill, a crash, a host that stopped waiting), instead of letting them
/// hold the workspace's import slot until Hangfire delivers their job again (its invisibility timeout, 30 minutes).
/// On SQLite one instance owns the file, so an import still marked running when this instance's job server starts is reported
/// at once. PostgreSQL instances share the imports: there the sweep reports the ones whose heartbeat stopped (<see cref="ImportHeartbeat"/>).
/// </summary>
public sealed class InterruptedImports(IServiceScopeFactory scopes, IOptions<DatabaseOptions> database, IOptions<JobsOptions> jobs,
    IOptions<KnowledgeImportOptions> options, TimeProvider clock) : IHostedService
{
    public Task StartAsync(CancellationToken ct) =>
        database.Value.ProviderKind == DatabaseProvider.Sqlite && jobs.Value.ServerEnabled
            ? ReportAsync(i => i.Status == ImportStatus.Running, ct) : Task.CompletedTask;

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>PostgreSQL: the running imports whose heartbeat stopped. Imports started before heartbeats count from their start.</summary>
    public Task<int> SweepAsync(CancellationToken ct)
    {
        if (database.Value.ProviderKind == DatabaseProvider.Sqlite) return Task.FromResult(0);
        var silentSince = clock.GetUtcNow().UtcDateTime - options.Value.HeartbeatStaleAfter;
        return ReportAsync(i => i.Status == ImportStatus.Running && (i.HeartbeatUtc ?? i.StartedUtc) < silentSince, ct);
    }

    private async Task<int> ReportAsync(System.Linq.Expressions.Expression<Func<KnowledgeImport, bool>> cutOff, CancellationToken ct)
    {
        List<(Guid Id, Guid TenantId)> found;
        await using (var scope = scopes.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct))
        {
            found = (await db.KnowledgeImports.IgnoreQueryFilters().AsNoTracking().Where(cutOff)
                .Select(i => new { i.Id, i.TenantId }).ToListAsync(ct)).Select(i => (i.Id, i.TenantId)).ToList();
        }
        foreach (var (id, tenantId) in found)
        {
            await using var scope = scopes.CreateTenantScope(tenantId);
            await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(id, ct);
        }
        return found.Count;
    }
}

public sealed class SweepInterruptedImportsJob(InterruptedImports imports)
{
    public const string RecurringId = "sweep-interrupted-imports";

    [AutomaticRetry(Attempts = 0), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(CancellationToken ct) => imports.SweepAsync(ct);
}
