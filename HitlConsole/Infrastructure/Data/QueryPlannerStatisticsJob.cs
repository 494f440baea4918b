using Hangfire;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// Keeps SQLite's query planner informed. Without statistics it takes every "TenantId = @t" for a selective filter and
/// walks a tenant-prefixed index — all rows of a single-workspace database — instead of the key it was given: the review
/// queue read 32,000 conversations for a page of 30 (250 ms) until ANALYZE had run (45 ms). PostgreSQL's autovacuum
/// keeps its own statistics, so this is SQLite only.
/// </summary>
public sealed class QueryPlannerStatisticsJob(IDbContextFactory<HitlDbContext> factory, IOptions<DatabaseOptions> options)
{
    public const string RecurringId = "query-planner-statistics";

    [AutomaticRetry(Attempts = 0), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken ct)
    {
        if (options.Value.ProviderKind != DatabaseProvider.Sqlite) return;
        await using var db = await factory.CreateDbContextAsync(ct);
        await RefreshAsync(db, ct);
    }

    /// <summary>
    /// SQLite's own recommendation for long-lived databases: re-analyse the tables whose size changed a lot since they were
    /// last analysed (all tables are checked, analysis is bounded, so it stays cheap on a large file).
    /// </summary>
    public static Task RefreshAsync(HitlDbContext db, CancellationToken ct) => db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", ct);
}
