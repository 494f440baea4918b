using System.Diagnostics;
using System.Globalization;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Tooling;
using Microsoft.Playwright;

namespace HitlConsole.Bench;

/// <summary>
/// A full team on one instance: N agent sessions (a browser context each, so a Blazor circuit each), most watching the inbox
/// and some deciding drafts in conversations, while customers write at a steady rate. Measured: draft stored → visible in
/// every watching inbox, the drafts written in time, the decisions made, the server's memory per connected circuit and where
/// the CPU goes, at 1, 5, 10 and 25 sessions. The baseline, in the same run and at the same rate: one session watching.
/// </summary>
public static class TeamBench
{
    /// <summary>Records, per customer name, when its conversation first shows a pending draft (no polling delay measured).</summary>
    internal const string PendingObserver = """
        prefix => {
          window.__seen = {};
          const look = () => {
            for (const row of document.querySelectorAll('[data-testid=conversation-row]')) {
              if (!row.querySelector('[data-testid=conversation-pending]')) continue;
              const name = (row.querySelector('.mud-typography-subtitle2')?.textContent || '').trim();
              if (name.startsWith(prefix) && !(name in window.__seen)) window.__seen[name] = Date.now();
            }
          };
          new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    private const double MessagesPerSecond = 5;

    public static async Task<IEnumerable<BenchResult>> RunAsync(AppUnderTest app, Browser browser, bool quick, TextWriter log)
    {
        // The same load with more and more agents: how each figure grows says where the next limit is.
        int[] steps = Environment.GetEnvironmentVariable("HITL_BENCH_TEAM_STEPS") is { Length: > 0 } chosen
            ? chosen.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray()
            : quick ? [1, 3] : [1, 5, 10, 25];
        var seconds = quick ? 6 : 20;

        // One sign-in (the login form is rate-limited per address, as it should be); every session reuses its cookies.
        var first = await browser.SignInAsync(app.BaseAddress, "agent@demo.local", "/inbox");
        var cookies = await first.Context.StorageStateAsync();
        await first.Context.CloseAsync();

        var results = new List<BenchResult>();
        Measured? alone = null;
        foreach (var sessions in steps)
        {
            // One in five answers customers (at least one beside the baseline's lone watcher), the others watch the queue.
            var deciders = sessions == 1 ? 0 : Math.Max(1, sessions / 5);
            var before = await SettledRssAsync(app.ProcessId);
            var watchers = await WatchersAsync(app, browser, cookies, sessions - deciders);
            var deciding = await WatchersAsync(app, browser, cookies, deciders);
            // The settle is also the sessions' idle cost: what the machine spends with everyone connected and nothing arriving.
            var (idleCpuBefore, idleMachineBefore) = (AppUnderTest.CpuTicks(app.ProcessId), MachineTicks());
            var connected = await SettledRssAsync(app.ProcessId);
            var idleMachine = MachineTicks();
            var idleSpan = (double)(idleMachine.Total - idleMachineBefore.Total);
            var idleApp = (AppUnderTest.CpuTicks(app.ProcessId) - idleCpuBefore) / idleSpan;
            var idleRest = Math.Max(0, (idleMachine.Busy - idleMachineBefore.Busy) / idleSpan - idleApp);
            var perCircuit = (connected - before) / sessions;

            var m = await MeasureAsync(app, watchers, deciding, seconds, log);
            alone ??= m;
            var end = await RssAsync(app.ProcessId);
            log.WriteLine($"{sessions} sessions ({deciders} deciding): push p50 {m.P50:0} ms p95 {m.P95:0} ms, {m.Seen} of {m.Expected} seen; "
                + $"{m.Drafted} of {m.Sent} drafts written in time; {m.Decisions} decided (p50 {m.DecisionP50:0} ms click → sent shown), "
                + $"{m.DecisionFailures} attempts lost; server CPU {m.AppCpu:P0} of the machine, browsers and load {m.OtherCpu:P0}; "
                + $"server memory {before:0} → {connected:0} MB connected ({perCircuit:0.0} MB a circuit) → {end:0} MB after the load; "
                + $"connected and idle: server CPU {idleApp:P0}, browsers {idleRest:P0}");
            log.WriteLine($"  browser CPU by process under load (share of the machine): {m.BrowserParts}");
            foreach (var page in watchers.Concat(deciding)) await page.Context.CloseAsync();

            var largest = sessions == steps[^1];
            results.Add(new BenchResult($"team: {sessions} agent session{(sessions == 1 ? "" : "s")} ({deciders} deciding), {MessagesPerSecond:0} messages/s, push to every inbox",
                $"p50 {Stats.Ms(m.P50)}, p95 {Stats.Ms(m.P95)} ({m.Seen} of {m.Expected} seen, {m.Drafted} of {m.Sent} drafted in time)",
                sessions == 1 ? "—" : $"1 session: p95 {Stats.Ms(alone.P95)}", sessions == 1 ? null : m.P95 / alone.P95,
                largest ? "p95 < 300 ms" : "—", largest ? m.P95 < 300 && m.Seen == m.Expected : null,
                $"{m.Decisions} drafts decided in {seconds} s; server CPU {m.AppCpu:P0} of the 2 cores, browsers and load {m.OtherCpu:P0}; "
                + $"server memory {before:0} → {connected:0} → {end:0} MB"));
            if (largest)
                results.Add(new BenchResult($"team: server memory per connected circuit ({sessions} sessions)",
                    $"{perCircuit:0.0} MB ({before:0} → {connected:0} MB)", "—", null, "≤ 5 MB", perCircuit <= 5));
        }
        return results;
    }

    private static async Task<List<IPage>> WatchersAsync(AppUnderTest app, Browser browser, string cookies, int count)
    {
        var pages = new List<IPage>();
        for (var i = 0; i < count; i++)
        {
            var page = await browser.OpenAsync(app.BaseAddress, cookies, "/inbox");
            // "All", newest activity first: under "Needs review" (oldest waiting first) a new conversation may sit below the fold.
            await page.GetByTestId("inbox-filter-all").ClickAsync();
            await page.Locator("[data-testid=conversation-row], [data-testid=inbox-empty]").First.WaitForAsync();
            pages.Add(page);
        }
        return pages;
    }

    private sealed record Measured(double P50, double P95, int Seen, int Expected, int Sent, int Drafted, int Decisions, double DecisionP50,
        int DecisionFailures, double AppCpu, double OtherCpu, string BrowserParts);

    private static async Task<Measured> MeasureAsync(AppUnderTest app, IReadOnlyList<IPage> watchers, IReadOnlyList<IPage> deciders,
        int seconds, TextWriter log)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var prefix = $"Team {run} ";
        // New customers every round: a number seen before would add to an earlier conversation, already drawn with a draft.
        var customers = 34_700_000_000L + Random.Shared.Next(1, 9_000) * 100_000L;
        foreach (var page in watchers) await page.EvaluateAsync(PendingObserver, prefix);
        // One watcher's own account of its main thread (script, style, layout): what each push costs a browser.
        var cdp = watchers.Count > 0 ? await watchers[0].Context.NewCDPSessionAsync(watchers[0]) : null;
        if (cdp is not null) await cdp.SendAsync("Performance.enable");
        // What reaches that watcher over its circuit: render batches and calls into its JavaScript, counted in the frames' bytes.
        var frames = new SignalRCount();
        if (cdp is not null)
        {
            cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) =>
            {
                var response = e!.Value.GetProperty("response");
                frames.Add(response.GetProperty("payloadData").GetString(), binary: response.GetProperty("opcode").GetDouble() == 2);
            };
            await cdp.SendAsync("Network.enable");
        }
        var rendererBefore = cdp is null ? [] : await RendererMetricsAsync(cdp);
        var trace = Environment.GetEnvironmentVariable("HITL_BENCH_TEAM_TRACE");
        var traced = new List<System.Text.Json.JsonElement>();
        var traceDone = new TaskCompletionSource();
        if (trace is not null && cdp is not null)
        {
            cdp.Event("Tracing.dataCollected").OnEvent += (_, e) => { lock (traced) traced.AddRange(e!.Value.GetProperty("value").EnumerateArray().Select(v => v.Clone())); };
            cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => traceDone.TrySetResult();
            await cdp.SendAsync("Tracing.start", new Dictionary<string, object>
            {
                ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = new[] { "devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "blink", "cc", "v8" } },
                ["transferMode"] = "ReportEvents",
            });
        }
        var count = (int)(seconds * MessagesPerSecond);
        var load = Enumerable.Range(0, count)
            .Select(i => Webhooks.Build($"wamid.team.{run}.{i}", $"{customers + i}", prefix + i, "where is my order? it should have arrived"))
            .ToList();

        using var stop = new CancellationTokenSource();
        var decisions = new List<double>();
        var failures = 0;
        var deciding = deciders.Select((page, i) => DecideAsync(page, i, prefix, decisions, () => Interlocked.Increment(ref failures), stop.Token)).ToList();

        var cpuBefore = AppUnderTest.CpuTicks(app.ProcessId);
        var machineBefore = MachineTicks();
        var chromiumBefore = ChromiumTicks();
        using var http = Webhooks.Client(app.BaseAddress, 8);
        var sent = await Webhooks.PacedAsync(http, WhatsAppWebhook.Path, load, MessagesPerSecond);
        if (sent.Failed > 0)
        {
            using var probe = await Webhooks.PostAsync(http, WhatsAppWebhook.Path, Webhooks.Build($"wamid.team.{run}.probe", "34999", prefix + "probe", "hello"));
            log.WriteLine($"  {sent.Failed} of {sent.Sent} webhooks were refused; one more now: {(int)probe.StatusCode} {await probe.Content.ReadAsStringAsync()}");
        }

        // Every draft written, then a moment for the last pushes to land.
        var drafts = new List<IngestBench.DraftTime>();
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            drafts = await IngestBench.DraftTimesAsync(app, $"wamid.team.{run}.%");
            if (drafts.Count >= sent.Accepted) break;
            await Task.Delay(250);
        }
        await Task.Delay(2000);
        var appCpu = (AppUnderTest.CpuTicks(app.ProcessId) - cpuBefore) / (double)(MachineTicks().Total - machineBefore.Total);
        var machine = MachineTicks();
        var span = (double)(machine.Total - machineBefore.Total);
        var browserParts = string.Join(", ", ChromiumTicks()
            .Select(p => (p.Key.Kind, Ticks: p.Value - chromiumBefore.GetValueOrDefault(p.Key)))
            .GroupBy(p => p.Kind).Select(g => (Kind: g.Key, Share: g.Sum(p => p.Ticks) / span)).OrderByDescending(g => g.Share)
            .Select(g => $"{g.Kind} {g.Share:P0}"));
        var busy = (machine.Busy - machineBefore.Busy) / (double)(machine.Total - machineBefore.Total);
        await stop.CancelAsync();
        await Task.WhenAll(deciding);
        if (trace is not null && cdp is not null)
        {
            await cdp.SendAsync("Tracing.end");
            await traceDone.Task.WaitAsync(TimeSpan.FromSeconds(60));
            lock (traced) File.WriteAllText(trace, System.Text.Json.JsonSerializer.Serialize(traced));
        }
        if (cdp is not null)
        {
            var (batches, calls) = frames.Stop();
            log.WriteLine($"  one watcher's circuit during the load: {batches} render batches ({batches / (double)Math.Max(1, sent.Accepted):0.0} per customer message), {calls} calls into its JavaScript");
            var after = await RendererMetricsAsync(cdp);
            log.WriteLine("  one watcher's main thread during the load: " + string.Join(", ", after
                .Where(a => a.Key.EndsWith("Duration", StringComparison.Ordinal) || a.Key is "LayoutCount" or "RecalcStyleCount" or "Nodes")
                .Select(a => a.Key.EndsWith("Duration", StringComparison.Ordinal)
                    ? $"{a.Key[..^"Duration".Length]} {(a.Value - rendererBefore.GetValueOrDefault(a.Key)) * 1000:0} ms"
                    : a.Key == "Nodes" ? $"{a.Key} {a.Value:0}" : $"{a.Key} {a.Value - rendererBefore.GetValueOrDefault(a.Key):0}")));
        }

        var stored = drafts.ToDictionary(d => d.Wamid, d => new DateTimeOffset(d.StoredUtc).ToUnixTimeMilliseconds());
        var latencies = new List<double>();
        var perWatcher = new List<int>();
        foreach (var page in watchers)
        {
            var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__seen");
            perWatcher.Add(seen.Count);
            for (var i = 0; i < count; i++)
                if (seen.TryGetValue(prefix + i, out var at) && stored.TryGetValue($"wamid.team.{run}.{i}", out var draftAt))
                    latencies.Add(at - draftAt);
        }
        // A conversation decided before a watcher drew its badge is not a push that went missing: count what could be seen.
        var expected = watchers.Count * stored.Count;
        // A watcher far below the others points at one console that stopped following, not at a slow machine.
        if (perWatcher.Any(n => n < stored.Count)) log.WriteLine($"  seen per watching inbox: {string.Join(", ", perWatcher)} of {stored.Count}");
        // A draft written after its conversation scrolled off the first page (30 rows, 6 s of arrivals) cannot be seen there.
        var lags = drafts.Select(d => (d.StoredUtc - d.MessageStoredUtc).TotalMilliseconds).ToList();
        if (lags.Count > 0) log.WriteLine($"  message stored → draft stored: p50 {Stats.Percentile(lags, 0.5):0} ms, p95 {Stats.Percentile(lags, 0.95):0} ms, max {lags.Max():0} ms");
        lock (decisions)
            return new Measured(Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.95), latencies.Count, expected,
                sent.Accepted, stored.Count, decisions.Count, decisions.Count > 0 ? Stats.Percentile(decisions, 0.5) : double.NaN, failures, appCpu, Math.Max(0, busy - appCpu), browserParts);
    }

    /// <summary>
    /// An agent answering this round's customers: open a conversation with a draft, write the reply (the drafts about orders
    /// carry placeholders a person fills), approve it, see it sent, next.
    /// </summary>
    private static async Task DecideAsync(IPage page, int index, string prefix, List<double> decisions, Func<int> failed, CancellationToken ct)
    {
        var waiting = page.Locator("[data-testid=conversation-row]", new() { Has = page.GetByTestId("conversation-pending"), HasText = prefix });
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var count = await waiting.CountAsync();
                if (count == 0)
                {
                    await Task.Delay(250, ct);
                    continue;
                }
                // Each agent takes a different row, as people pick different conversations; a collision is counted, not hidden.
                await waiting.Nth(index % count).ClickAsync(new() { Timeout = 5_000 });
                var editor = page.Locator("textarea[data-testid=draft-editor]").First;
                await editor.FillAsync("Your order is on its way; the tracking link follows by e-mail today.", new() { Timeout = 10_000 });
                var approve = page.GetByTestId("draft-approve");
                await Assertions.Expect(approve).ToBeEnabledAsync(new() { Timeout = 10_000 });
                var clicked = Stopwatch.GetTimestamp();
                await approve.ClickAsync(new() { Timeout = 5_000 });
                await page.GetByTestId("no-draft").WaitForAsync(new() { Timeout = 15_000 });
                lock (decisions) decisions.Add(Stopwatch.GetElapsedTime(clicked).TotalMilliseconds);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                if (failed() <= 3) Console.WriteLine($"  a decision failed: {ex.Message.Split('\n')[0]} (at {page.Url})");
            }
        }
    }

    /// <summary>
    /// Blazor's messages to one browser by kind. A WebSocket frame may carry several (blazorpack, MessagePack), so the target names
    /// are counted in each frame's bytes (CDP gives a binary frame base64-encoded).
    /// </summary>
    private sealed class SignalRCount
    {
        private static readonly byte[] Batch = "JS.RenderBatch"u8.ToArray(), Call = "JS.BeginInvokeJS"u8.ToArray();
        private int _batches, _calls;
        private bool _stopped;

        public void Add(string? payload, bool binary)
        {
            if (payload is null || Volatile.Read(ref _stopped)) return;
            var bytes = binary ? Convert.FromBase64String(payload) : System.Text.Encoding.UTF8.GetBytes(payload);
            Interlocked.Add(ref _batches, bytes.AsSpan().Count(Batch));
            Interlocked.Add(ref _calls, bytes.AsSpan().Count(Call));
        }

        public (int Batches, int Calls) Stop()
        {
            Volatile.Write(ref _stopped, true);
            return (Volatile.Read(ref _batches), Volatile.Read(ref _calls));
        }
    }

    private static async Task<Dictionary<string, double>> RendererMetricsAsync(ICDPSession cdp)
    {
        var reply = await cdp.SendAsync("Performance.getMetrics");
        return reply!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
    }

    /// <summary>Resident memory after the server has had a few seconds to settle.</summary>
    private static async Task<double> SettledRssAsync(int pid)
    {
        await Task.Delay(TimeSpan.FromSeconds(8));
        return await RssAsync(pid);
    }

    private static async Task<double> RssAsync(int pid)
    {
        var line = (await File.ReadAllLinesAsync($"/proc/{pid}/status")).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>
    /// CPU ticks of every Chromium process by pid and kind (its <c>--type=</c>: renderer, gpu-process, utility; none for the browser
    /// process itself), so the table can say whether the sessions' cost is script and layout (renderers) or drawing (gpu).
    /// </summary>
    private static Dictionary<(int Pid, string Kind), long> ChromiumTicks()
    {
        var ticks = new Dictionary<(int, string), long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                // Zygote children rewrite their title, so their arguments arrive joined by spaces.
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split(['\0', ' ']);
                if (!args[0].Contains("chromium", StringComparison.Ordinal)) continue;
                var kind = args.FirstOrDefault(a => a.StartsWith("--type=", StringComparison.Ordinal))?["--type=".Length..] ?? "browser";
                ticks[(pid, kind)] = AppUnderTest.CpuTicks(pid);
            }
            catch (IOException) { } // the process ended between the listing and the read
            catch (UnauthorizedAccessException) { }
        }
        return ticks;
    }

    /// <summary>The machine's busy and total ticks over all cores (the first line of /proc/stat).</summary>
    private static (long Busy, long Total) MachineTicks()
    {
        var values = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = values[3] + values[4];
        var total = values.Take(8).Sum();
        return (total - idle, total);
    }
}
