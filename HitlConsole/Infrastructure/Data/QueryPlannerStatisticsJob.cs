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
    /// last analysed (all tables are checked, analysis is bounded, so it stays cheap on a large file). The full-text indexes'
    /// own tables then get a fixed figure instead of a measured one (<see cref="FullTextShadowTablesAsLarge"/>).
    /// <para>
    /// Measured at the first start, those tables hold two rows. FTS5 removes merged segments with
    /// "DELETE FROM X_data WHERE id BETWEEN ? AND ?", and with "2 rows" on record the planner scans the whole table for it.
    /// Every merge then reads the whole index: importing 60,000 rows took 130 s instead of 16 s, 100,000 rows 17 minutes.
    /// Deleting the figure is not enough: a connection that loaded it keeps the table's size when statistics are reloaded.
    /// A written figure replaces it on every connection that reloads, and one transaction keeps the measured one unseen.
    /// </para>
    /// </summary>
    public static async Task RefreshAsync(HitlDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", ct);
        // A database whose tables were all empty has no statistics table yet, and only SQLite may create it.
        var analysed = await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_schema WHERE name = 'sqlite_stat1'").SingleAsync(ct);
        if (analysed > 0) await db.Database.ExecuteSqlRawAsync(FullTextShadowTablesAsLarge, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Records a million rows for each FTS5 table's own tables (<c>X_data</c>, <c>X_idx</c>, <c>X_docsize</c>, <c>X_config</c>),
    /// so the planner always seeks in them, and reloads the statistics of this connection.
    /// </summary>
    internal const string FullTextShadowTablesAsLarge = $"""
        DELETE FROM sqlite_stat1 WHERE tbl IN ({ShadowTables});
        INSERT INTO sqlite_stat1 (tbl, idx, stat) SELECT name, NULL, '1000000' FROM ({ShadowTables});
        ANALYZE sqlite_schema;
        """;

    private const string ShadowTables = """
        SELECT s.name FROM sqlite_schema AS s JOIN sqlite_schema AS v
        ON v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' AND s.type = 'table' AND s.name GLOB v.name || '_*'
        """;
}
