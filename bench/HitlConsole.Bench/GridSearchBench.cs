using System.Diagnostics;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Tooling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Bench;

/// <summary>
/// The knowledge page's search box over 100,000 entries of one workspace (the demo knowledge copied, as the retrieval
/// scenario does), through the page's own handler: the ranked ids, the filtered count and the first page of 25 rows.
/// p50 / p95 of ten runs per query after a warm-up pass; how many entries each query found is logged beside.
/// </summary>
public static class GridSearchBench
{
    private static readonly string[] Queries =
    [
        "dos veces", "cobraron", "cobrado dos veces", "me cobraron dos veces en la tarjeta", "factura", "reembolso",
        "refund", "charged twice", "cancel order", "i lost the receipt for my taxes", "where is my order 12345",
    ];

    /// <summary>The grid must answer a search before a person notices the wait.</summary>
    private const double GoalMs = 300;

    public static async Task<IEnumerable<BenchResult>> RunAsync(AppUnderTest app, bool quick, TextWriter log)
    {
        var entries = quick ? 10_000 : 100_000;
        var tenantId = await RetrievalBench.CopyKnowledgeAsync(app.SqliteConnectionString, entries);
        await using var provider = RetrievalBench.SearchServices(app.SqliteConnectionString);
        await using var scope = provider.GetRequiredService<IServiceScopeFactory>().CreateTenantScope(tenantId);
        var grid = new GetKnowledgePage(scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>(),
            provider.GetRequiredService<HitlConsole.Features.Knowledge.Search.KnowledgeSearch>(), scope.ServiceProvider.GetRequiredService<TenantContext>());
        GetKnowledgePage.Query Of(string text) => new(new GetKnowledgePage.Filter(text), null, false, 0, 25);

        var build = Stopwatch.StartNew();
        foreach (var q in Queries) await grid.HandleAsync(Of(q), default); // indexes built, code compiled
        log.WriteLine($"grid search over {entries:N0}: warm-up pass {build.Elapsed.TotalMilliseconds:N0} ms");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var all = new List<double>();
        log.WriteLine("| query | found | p50 ms | p95 ms |");
        log.WriteLine("|---|---|---|---|");
        foreach (var q in Queries)
        {
            var times = new List<double>();
            var found = 0;
            for (var i = 0; i < 10; i++)
            {
                var watch = Stopwatch.StartNew();
                found = (await grid.HandleAsync(Of(q), default)).Total;
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            all.AddRange(times);
            log.WriteLine($"| {q} | {found:N0} | {Stats.Percentile(times, 0.5):0.0} | {Stats.Percentile(times, 0.95):0.0} |");
        }
        var p95 = Stats.Percentile(all, 0.95);
        return
        [
            new BenchResult($"knowledge grid search: {entries:N0} entries ({Queries.Length} queries × 10)", $"p50 {Stats.Ms(Stats.Percentile(all, 0.5))}, p95 {Stats.Ms(p95)}",
                "—", null, $"p95 ≤ {GoalMs} ms", p95 <= GoalMs, "ranked ids, filtered count and the first page of 25, through the page's handler"),
        ];
    }
}
