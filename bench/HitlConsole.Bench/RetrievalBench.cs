using System.Diagnostics;
using HitlConsole.Infrastructure.Embeddings;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Eval;
using HitlConsole.Tooling;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HitlConsole.Bench;

/// <summary>
/// Top-5 search over N entries of one workspace through the product's <see cref="KnowledgeSearch"/> (query embedding,
/// vector scan, FTS5, fusion, loading the hits), against SQLite's own FTS5 top-5 for the same words in the same run.
/// The entries are the demo knowledge (with its precomputed vectors) copied into a new workspace until N are there.
/// </summary>
public static class RetrievalBench
{
    public static async Task<IEnumerable<BenchResult>> RunAsync(AppUnderTest app, string repo, string bitextCsv, bool quick, TextWriter log)
    {
        // Customer questions the copied knowledge has not seen: the evaluation's held-out split, and Spanish everyday wording.
        var english = (await Dataset.ReadBitextAsync(bitextCsv)).Where(r => Dataset.IsHeldOut(r.Instruction)).Select(r => r.Instruction)
            .Where((_, i) => i % 2 == 0).Take(quick ? 100 : 400).ToList();
        var spanish = (await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev.csv"))).Select(u => u.Text)
            .Take(quick ? 50 : 117).ToList();
        var results = new List<BenchResult>();
        foreach (var size in quick ? [10_000] : new[] { 10_000, 50_000, 200_000 })
        {
            results.Add(await RunAsync(app, size, english, "en", log));
            results.Add(await RunAsync(app, size, spanish, "es", log));
        }
        return results;
    }

    /// <summary>The goal of the issue: p95 ≤ 15 ms up to 50,000 entries, ≤ 40 ms at 200,000.</summary>
    private static double GoalMs(int entries) => entries <= 50_000 ? 15 : 40;

    private static async Task<BenchResult> RunAsync(AppUnderTest app, int entries, List<string> queries, string language, TextWriter log)
    {
        var tenantId = await CopyKnowledgeAsync(app.SqliteConnectionString, entries);
        await using var provider = SearchServices(app.SqliteConnectionString);
        var search = provider.GetRequiredService<KnowledgeSearch>();

        var build = Stopwatch.StartNew();
        await search.SearchAsync(tenantId, "warm up the model and the index", language, 5, default);
        var buildMs = build.Elapsed.TotalMilliseconds;
        // One pass over the questions first, then a pause for the runtime's background compiler: a serving instance has
        // compiled its search code long ago. Nothing caches a question's results. The first pass is logged beside.
        var first = new List<double>();
        foreach (var q in queries)
        {
            var watch = Stopwatch.StartNew();
            await search.SearchAsync(tenantId, q, language, 5, default);
            first.Add(watch.Elapsed.TotalMilliseconds);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        var ours = new List<double>();
        var empty = 0;
        foreach (var q in queries)
        {
            var watch = Stopwatch.StartNew();
            var hits = await search.SearchAsync(tenantId, q, language, 5, default);
            ours.Add(watch.Elapsed.TotalMilliseconds);
            if (hits.Count == 0) empty++;
        }
        if (empty > queries.Count / 10)
            throw new InvalidOperationException($"{empty} of {queries.Count} {language} queries found nothing over {entries:N0} entries");

        // Where the time goes, one part at a time (same queries): the index's freshness check, embedding (two for
        // Spanish: the text and its English gloss), the text index, the vector scan, loading the five entries.
        var index = provider.GetRequiredService<KnowledgeIndex>();
        var embedder = provider.GetRequiredService<ITextEmbedder>();
        var textIndex = provider.GetRequiredService<KnowledgeTextIndex>();
        var (stamp, embed, lexical, scan, load) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(), new List<double>());
        foreach (var q in queries)
        {
            var watch = Stopwatch.StartNew();
            var snapshot = await index.GetAsync(tenantId, default);
            stamp.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            // As the search does it: a Spanish question and its gloss side by side.
            var gloss = language == "es" ? Task.Run(() => embedder.Embed([HitlConsole.Features.Languages.SpanishGloss.Default.Gloss(q)])[0]) : null;
            float[][] vectors = gloss is null ? [embedder.Embed([q])[0]] : [embedder.Embed([q])[0], await gloss];
            embed.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await textIndex.SearchAsync(tenantId, snapshot.Stamp, q, language, 20, default);
            lexical.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            var nearest = snapshot.NearestEach(vectors, 20)[0].Take(5).Select(n => n.Id).ToList();
            scan.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await using var scope = provider.GetRequiredService<IServiceScopeFactory>().CreateTenantScope(tenantId);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            await db.KnowledgeEntries.AsNoTracking().Where(e => nearest.Contains(e.Id)).Select(e => new { e.Id, e.Question, e.Answer }).ToListAsync();
            load.Add(watch.Elapsed.TotalMilliseconds);
        }
        // The stamp itself is read once per Embeddings:IndexFreshness or after a local write: what a search pays then.
        var changes = provider.GetRequiredService<KnowledgeChanges>();
        var stampRead = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            changes.Raise();
            var watch = Stopwatch.StartNew();
            await index.GetAsync(tenantId, default);
            stampRead.Add(watch.Elapsed.TotalMilliseconds);
        }
        log.WriteLine($"retrieval {language} over {entries:N0}, p50 parts: index freshness check {Stats.Percentile(stamp, 0.5):0.0} ms " +
                      $"(the stamp read, once a second or after a write: {Stats.Percentile(stampRead, 0.5):0.0} ms), " +
                      $"embedding {Stats.Percentile(embed, 0.5):0.0} ms, text index (pool of 20) {Stats.Percentile(lexical, 0.5):0.0} ms, " +
                      $"vector scan {Stats.Percentile(scan, 0.5):0.0} ms, loading five entries {Stats.Percentile(load, 0.5):0.0} ms; " +
                      $"first search (indexes built) {buildMs:N0} ms; {empty} queries without a hit");

        var baseline = new List<double>();
        await using (var connection = new SqliteConnection(app.SqliteConnectionString + ";Mode=ReadOnly"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT rowid FROM KnowledgeSearch WHERE KnowledgeSearch MATCH $m ORDER BY bm25(KnowledgeSearch) LIMIT 5";
            var match = command.Parameters.Add("$m", SqliteType.Text);
            foreach (var q in queries.Prepend("warm up"))
            {
                match.Value = string.Join(" OR ", LexicalSearch.Words(q).Select(w => $"\"{w}\""));
                var watch = Stopwatch.StartNew();
                await using (var reader = await command.ExecuteReaderAsync()) while (await reader.ReadAsync()) { }
                baseline.Add(watch.Elapsed.TotalMilliseconds);
            }
            baseline.RemoveAt(0);
        }
        var p95 = Stats.Percentile(ours, 0.95);
        var baseP95 = Stats.Percentile(baseline, 0.95);
        var goal = GoalMs(entries);
        log.WriteLine($"retrieval {language} over {entries:N0}: p50 {Stats.Percentile(ours, 0.5):0.0} ms p95 {p95:0.0} ms " +
                      $"(first pass p50 {Stats.Percentile(first, 0.5):0.0} ms p95 {Stats.Percentile(first, 0.95):0.0} ms); FTS5 alone p95 {baseP95:0.0} ms");
        return new BenchResult($"retrieval: top-5 over {entries:N0} entries, {(language == "es" ? "Spanish" : "English")} ({queries.Count} queries)",
            $"p50 {Stats.Ms(Stats.Percentile(ours, 0.5))}, p95 {Stats.Ms(p95)}",
            $"FTS5 top-5 alone p50 {Stats.Ms(Stats.Percentile(baseline, 0.5))}, p95 {Stats.Ms(baseP95)}", p95 / baseP95, $"p95 ≤ {goal} ms", p95 <= goal,
            "ours includes the index's freshness check, embedding the query with MiniLM (and its English gloss for Spanish), the vector scan, " +
            "the in-process text index, fusion and loading the five entries");
    }

    /// <summary>The app's knowledge search services over the benchmark's database, registered as the app registers them.</summary>
    internal static ServiceProvider SearchServices(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddTenancy();
        services.AddSingleton(new DbContextOptionsBuilder<HitlDbContext>().UseSqlite(connectionString).Options);
        services.AddScoped<IDbContextFactory<HitlDbContext>>(sp =>
            new BenchContextFactory(sp.GetRequiredService<DbContextOptions<HitlDbContext>>(), sp.GetRequiredService<TenantContext>()));
        services.AddSingleton<ITextEmbedder, MiniLmEmbedder>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<KnowledgeChanges>();
        services.AddOptions<EmbeddingOptions>();
        services.AddKnowledgeSearch(); // the app's own registration, so the benchmark builds what the app builds
        return services.BuildServiceProvider();
    }

    /// <summary>A new workspace holding the demo workspace's entries (vectors included) repeated until there are <paramref name="count"/>.</summary>
    internal static async Task<Guid> CopyKnowledgeAsync(string connectionString, int count)
    {
        var tenantId = Guid.NewGuid();
        var id = tenantId.ToString().ToUpperInvariant();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var demo = (string)(await ScalarAsync(connection, "SELECT Id FROM Tenants WHERE Name = 'Demo Support'"))!;
        var tenantColumns = await ColumnsAsync(connection, "Tenants");
        await ExecAsync(connection, $"INSERT INTO Tenants ({string.Join(", ", tenantColumns)}) SELECT {string.Join(", ", tenantColumns.Select(c =>
            c switch { "Id" => $"'{id}'", "Name" => $"'Retrieval benchmark {id}'", _ => c }))} FROM Tenants WHERE Id = '{demo}'");
        var columns = await ColumnsAsync(connection, "KnowledgeEntries");
        // A fresh GUID per copy, in EF Core's text form (upper case, dashed); random() is evaluated per row.
        const string newGuid = "printf('%08X-%04X-4%03X-%04X-%012X', abs(random()) % 4294967296, abs(random()) % 65536, abs(random()) % 4096, " +
                               "32768 + abs(random()) % 16384, abs(random()) % 281474976710656)";
        var select = string.Join(", ", columns.Select(c => c switch
        {
            "Id" => newGuid,
            "TenantId" => $"'{id}'",
            "Question" => "Question || CASE WHEN n.i = 0 THEN '' ELSE ' (' || n.i || ')' END",
            "ContentHash" => "ContentHash || '-' || n.i",
            "SourceImportId" => "NULL",
            _ => "e." + c,
        }));
        await ExecAsync(connection, $"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 80)
            INSERT INTO KnowledgeEntries ({string.Join(", ", columns)})
            SELECT {select} FROM n CROSS JOIN KnowledgeEntries e WHERE e.TenantId = '{demo}' AND e.Embedding IS NOT NULL
            ORDER BY n.i, e.Id LIMIT {count}
            """);
        await ExecAsync(connection, "ANALYZE");
        return tenantId;
    }

    private static async Task<List<string>> ColumnsAsync(SqliteConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        var list = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) list.Add(reader.GetString(0));
        return list;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=30000; " + sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The product's provider subclass per context, carrying the scope's tenant (what the app's own factory does).</summary>
public sealed class BenchContextFactory(DbContextOptions<HitlDbContext> options, TenantContext tenant) : IDbContextFactory<HitlDbContext>
{
    public HitlDbContext CreateDbContext() => new SqliteHitlDbContext(options, tenant);
}
