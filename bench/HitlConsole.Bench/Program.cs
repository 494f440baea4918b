using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HitlConsole.Bench;
using HitlConsole.Tooling;

// dotnet run -c Release --project bench/HitlConsole.Bench -- [all] [--quick]       every scenario, one table (README)
// dotnet run -c Release --project bench/HitlConsole.Bench -- analytics [--rows N] [--postgres "Host=…;Username=…"]
// dotnet run -c Release --project bench/HitlConsole.Bench -- inbox-only [--quick]    the review queue's list query alone
// dotnet run -c Release --project bench/HitlConsole.Bench -- search-only [--quick]   the inbox's message search alone
// dotnet run -c Release --project bench/HitlConsole.Bench -- startup [--quick]      cold start and idle memory of the published app
var command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
if (command == StartupBench.BareServerCommand) // the startup scenario's baseline, as a process of its own
{
    await StartupBench.ServeBareAsync(int.Parse(args[1], CultureInfo.InvariantCulture));
    return 0;
}
var quick = args.Contains("--quick");
string? Option(string name)
{
    var at = Array.IndexOf(args, "--" + name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
var rows = Option("rows") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : quick ? 50_000 : 1_000_000;

switch (command)
{
    case "analytics":
        await AnalyticsBench.RunAsync(rows, Console.Out, Option("postgres"));
        return 0;
    case "inbox-only": // the review queue's list query alone, without publishing and starting the app
        BenchResult.WriteTable(Console.Out, await InboxBench.RunAsync(quick, Console.Out));
        return 0;
    case "search-only": // the inbox's full-text search over messages alone
        BenchResult.WriteTable(Console.Out, await SearchBench.RunAsync(quick, Console.Out));
        return 0;
    case var names when names.Split(',').All(n => n is "all" or "ingest" or "push" or "team" or "retrieval" or "grid" or "analytics-page" or "import" or "inbox" or "search" or "startup"):
        return await RunAsync(quick, rows, names.Split(','), Option("postgres"));
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}'; known: all, ingest, push, team, retrieval, grid, analytics-page, import, inbox, search, startup, analytics, inbox-only, search-only");
        return 2;
}

// Every scenario, or just the ones named (comma-separated; the app is published and started either way).
// With --postgres CONNECTION (a server; the run creates and drops its own database) the import is measured there too.
static async Task<int> RunAsync(bool quick, int rows, string[] only, string? postgres)
{
    var repo = AppUnderTest.RepositoryRoot();
    var bitext = BitextPath(repo);
    var log = Console.Out;
    var total = Stopwatch.StartNew();
    log.WriteLine($"HitlConsole benchmarks{(quick ? " (--quick: CI-sized, proves the runner works, figures not judged)" : "")}");
    log.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    var results = new List<BenchResult>();

    async Task Scenario(string name, Func<Task<IEnumerable<BenchResult>>> run)
    {
        if (!only.Contains("all") && !only.Any(o => name.StartsWith(o + ":", StringComparison.Ordinal))) return;
        var watch = Stopwatch.StartNew();
        log.WriteLine($"— {name}");
        try { results.AddRange(await run()); }
        catch (Exception ex)
        {
            // A broken scenario is a row that says so; the other scenarios still run.
            log.WriteLine($"{name} failed: {ex}");
            results.Add(new BenchResult(name, "error: " + ex.Message.Split('\n')[0], "—", null, "runs", false));
        }
        log.WriteLine($"  ({watch.Elapsed.TotalSeconds:0} s)");
    }

    var published = Directory.CreateTempSubdirectory("hitl-bench-app-").FullName;
    var dll = await AppUnderTest.PublishAsync(repo, published);
    log.WriteLine($"published the app in {total.Elapsed.TotalSeconds:0} s");
    await using (var app = await AppUnderTest.StartAsync(repo, Webhooks.AppSettings(), dll: dll))
    {
        await Scenario("ingest: webhooks and inbound → draft", async () => await IngestBench.RunAsync(app, quick, log));
        await using var browser = Browser.Available ? await Browser.LaunchAsync() : null;
        if (browser is null) log.WriteLine($"{Browser.ChromiumPath} is missing: the browser scenarios are left out (the README's test command installs it)");
        else
        {
            await Scenario("push: live", async () => [await LivePushBench.RunAsync(app, browser, quick, log)]);
            await Scenario("team: agents on one instance", async () => await TeamBench.RunAsync(app, browser, quick, log));
        }
        await Scenario("retrieval: top-5 search", async () => await RetrievalBench.RunAsync(app, repo, bitext, quick, log));
        await Scenario("grid: knowledge grid search", async () => await GridSearchBench.RunAsync(app, quick, log));
        await Scenario("analytics-page: queries and page", async () => await AnalyticsBench.RunAgainstAppAsync(app, browser, rows, log));
    }
    await Scenario("inbox: review queue", async () => await InboxBench.RunAsync(quick, log));
    await Scenario("search: inbox messages", async () => await SearchBench.RunAsync(quick, log));
    await Scenario("import: knowledge CSV", async () => await ImportBench.RunAsync(dll, bitext, quick, log, postgres));
    await Scenario("startup: cold start and idle memory", async () => await StartupBench.RunAsync(dll, repo, quick, log));
    Directory.Delete(published, recursive: true);

    log.WriteLine();
    BenchResult.WriteTable(log, results);
    log.WriteLine();
    log.WriteLine($"finished in {total.Elapsed.TotalMinutes:0.0} min; {results.Count(x => x.Met == true)} goals met, {results.Count(x => x.Met == false)} missed or failed");
    // Quick mode proves every scenario runs end to end; its figures are not judged (CI machines are noisy and the sizes small).
    var broken = results.Count(x => x.Ours.StartsWith("error:", StringComparison.Ordinal));
    return broken > 0 ? 1 : 0;
}

static string BitextPath(string repo)
{
    string?[] candidates =
    [
        Environment.GetEnvironmentVariable("HITL_BITEXT_CSV"),
        Path.Combine(repo, "..", "shared", "datasets", "bitext", "customer_support_intents.csv"),
        Path.Combine(repo, "eval", "data", "bitext", "customer_support_intents.csv"),
    ];
    return candidates.FirstOrDefault(p => p is not null && File.Exists(p))
        ?? throw new FileNotFoundException("The Bitext dataset was not found; set HITL_BITEXT_CSV to customer_support_intents.csv.");
}
