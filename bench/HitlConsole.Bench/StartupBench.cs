using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using HitlConsole.Features.AgentConfig.Sandbox;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Tooling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HitlConsole.Bench;

/// <summary>
/// Cold start and idle memory of the published Release app with the demo workspace, against a bare Kestrel process (this
/// runner started with <c>bare-server</c>: one endpoint, no database) measured in the same run on the same machine.
/// <list type="bullet">
/// <item>first start: an empty folder — migrations, the demo workspace, the job storage;</item>
/// <item>restart: the same folder again — the everyday cold start after a deploy or a crash; this one is judged;</item>
/// <item>idle memory: resident set of the restarted app <see cref="IdleWait"/> after it answered ready, nobody signed in;</item>
/// <item>first draft after the restart: a sandbox draft (English, then Spanish) on the restarted app, once idle was measured
/// (the warm-up has built the indexes by then; the embedding model loads on that request), against the median of the
/// drafts that follow; and the resident set after them.</item>
/// </list>
/// "Ready" is <c>/health/ready</c> answering 200 and then the sign-in page being served (what a person opens first).
/// </summary>
public static class StartupBench
{
    public const string BareServerCommand = "bare-server";
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(20);
    private const string SandboxKey = "bench-sandbox-key";
    private static readonly string[] Questions =
    [
        "how long does shipping take to Madrid?", "¿cuánto tarda el envío a Sevilla?", "I want to cancel my order",
        "quiero cancelar mi pedido", "my invoice is wrong", "me cobraron dos veces", "how do I change my address?",
        "¿cómo cambio mi dirección de envío?", "can I get a refund?", "quiero que me devuelvan el dinero",
    ];

    private static Dictionary<string, string> Settings() => new(Webhooks.AppSettings()) { ["Demo__SimulatorApiKey"] = SandboxKey };

    public static async Task<IEnumerable<BenchResult>> RunAsync(string dll, string repo, bool quick, TextWriter log)
    {
        var runs = quick ? 1 : 3;
        var bare = new List<(double Ms, double RssMb)>();
        for (var i = 0; i < runs; i++) bare.Add(await BareAsync());
        log.WriteLine($"  bare Kestrel process: ready in {string.Join(", ", bare.Select(b => $"{b.Ms:0} ms"))}; resident {bare.Max(b => b.RssMb):0} MB");

        var first = new List<double>();
        var restart = new List<double>();
        var idle = new List<double>();
        var firstDraft = new List<double>();
        var laterDrafts = new List<double>();
        var afterDrafts = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            string folder;
            await using (var app = await AppUnderTest.StartAsync(repo, Settings(), dll: dll))
            {
                await SignInPageAsync(app);
                first.Add(watch.Elapsed.TotalMilliseconds);
                folder = app.DataDir;
                await app.StopAsync();
                watch.Restart();
                await using var again = await AppUnderTest.StartAsync(repo, Settings(), dll: dll, dataDir: folder);
                await SignInPageAsync(again);
                restart.Add(watch.Elapsed.TotalMilliseconds);
                await Task.Delay(IdleWait);
                idle.Add(ResidentMb(again.ProcessId));
                var drafts = await DraftsAsync(again);
                firstDraft.Add(drafts[0]);
                laterDrafts.AddRange(drafts.Skip(2));
                afterDrafts.Add(ResidentMb(again.ProcessId));
            }
            log.WriteLine($"  run {i + 1}: first start {first[^1]:0} ms, restart {restart[^1]:0} ms, idle {idle[^1]:0} MB, " +
                $"first draft {firstDraft[^1]:0} ms, after {Questions.Length} drafts {afterDrafts[^1]:0} MB");
        }

        var bareMs = Median(bare.Select(b => b.Ms));
        var bareRss = Median(bare.Select(b => b.RssMb));
        var restartMs = Median(restart);
        var idleMb = Median(idle);
        return
        [
            new BenchResult("startup: restart to ready (demo workspace, Release)", $"{restartMs / 1000:0.0} s (first start {Median(first) / 1000:0.0} s)",
                $"bare Kestrel process {bareMs:0} ms", restartMs / bareMs, "≤ 5 s", restartMs <= 5000,
                $"median of {runs}; ready = /health/ready 200 and the sign-in page served; the first start also migrates and seeds the demo"),
            new BenchResult("startup: idle memory 20 s after ready", $"{idleMb:0} MB resident", $"bare Kestrel process {bareRss:0} MB", idleMb / bareRss,
                "≤ 400 MB", idleMb <= 400, "resident set (VmRSS) of the restarted app, nobody signed in"),
            new BenchResult("startup: first draft after a restart (sandbox, demo workspace)", $"{Median(firstDraft):0} ms",
                $"the drafts that follow, median {Median(laterDrafts):0} ms", Median(firstDraft) / Median(laterDrafts), "—", null,
                $"the embedding model loads on the first request (the warm-up has built the search indexes by then); " +
                $"resident set after {Questions.Length} drafts (en + es) {Median(afterDrafts):0} MB"),
        ];
    }

    /// <summary>The sandbox drafts of <see cref="Questions"/> one after another, in milliseconds each.</summary>
    private static async Task<List<double>> DraftsAsync(AppUnderTest app)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, SandboxKey);
        var times = new List<double>();
        foreach (var question in Questions)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync(SandboxApi.Path, new { text = question });
            response.EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static async Task SignInPageAsync(AppUnderTest app)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        (await http.GetAsync("/account/login")).EnsureSuccessStatusCode();
    }

    /// <summary>This runner's own executable as a bare web server: process start to the first 200, and its resident set.</summary>
    private static async Task<(double Ms, double RssMb)> BareAsync()
    {
        var port = AppUnderTest.FreePort();
        var start = new ProcessStartInfo("dotnet", [typeof(StartupBench).Assembly.Location, BareServerCommand, port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            await AppUnderTest.WaitUntilReadyAsync(process, http, "The bare server", TimeSpan.FromSeconds(60));
            var ms = watch.Elapsed.TotalMilliseconds;
            await Task.Delay(TimeSpan.FromSeconds(2));
            return (ms, ResidentMb(process.Id));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The bare server itself (run in its own process by <see cref="BareAsync"/>).</summary>
    public static async Task ServeBareAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/health/ready", () => Results.Ok());
        await app.RunAsync();
    }

    /// <summary>VmRSS from /proc (Linux, this machine's kind); NaN elsewhere.</summary>
    private static double ResidentMb(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return double.NaN;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN
            : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static double Median(IEnumerable<double> values) => Stats.Percentile(values, 0.5);
}
