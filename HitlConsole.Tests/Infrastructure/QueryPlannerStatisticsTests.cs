using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>SQLite's planner statistics: measured for the tables, a fixed large figure for the full-text indexes' own tables.</summary>
public sealed class QueryPlannerStatisticsTests
{
    // FTS5 drops merged segments with this statement; a scan here made every merge read the whole index.
    private const string SegmentDelete = "EXPLAIN QUERY PLAN DELETE FROM KnowledgeSearch_data WHERE id >= 5 AND id <= 9";

    [Fact]
    public async Task The_full_text_index_is_planned_as_large_after_the_first_start_and_after_each_refresh()
    {
        await using var app = await HitlAppFactory.CreateAsync(DatabaseProvider.Sqlite);
        // The app's own pooled connections, opened at the start: an early one would keep what it loaded.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Contains("USING INTEGER PRIMARY KEY", await PlanAsync(db));
        Assert.Equal("1000000", await StatisticAsync(app, "KnowledgeSearch_data"));
        Assert.Equal("1000000", await StatisticAsync(app, "MessageSearch_data"));

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            await QueryPlannerStatisticsJob.RefreshAsync(db, default);
            Assert.Contains("USING INTEGER PRIMARY KEY", await PlanAsync(db));
        }
        Assert.Equal("1000000", await StatisticAsync(app, "KnowledgeSearch_data"));
        // The tables themselves keep measured figures (the demo workspace's knowledge).
        Assert.NotEqual("1000000", (await StatisticAsync(app, "KnowledgeEntries"))?.Split(' ')[0]);
    }

    private static async Task<string> PlanAsync(HitlDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = SegmentDelete;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        return string.Join(" | ", plan);
    }

    private static async Task<string?> StatisticAsync(HitlAppFactory app, string table)
    {
        await using var connection = new SqliteConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT stat FROM sqlite_stat1 WHERE tbl = $t ORDER BY idx IS NOT NULL LIMIT 1";
        command.Parameters.AddWithValue("$t", table);
        return await command.ExecuteScalarAsync() as string;
    }
}
