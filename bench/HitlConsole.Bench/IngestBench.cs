using System.Diagnostics;
using System.Globalization;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Tooling;
using Microsoft.Data.Sqlite;

namespace HitlConsole.Bench;

/// <summary>
/// Webhook ingest and inbound → draft, against the running app (full pipeline: signature, parsing, tenancy, storage,
/// outbox, Hangfire, built-in model) and, for ingest, against <see cref="RawIngestServer"/> in the same run.
/// </summary>
public static class IngestBench
{
    private const int Connections = 32;

    public static async Task<List<BenchResult>> RunAsync(AppUnderTest app, bool quick, TextWriter log)
    {
        var results = new List<BenchResult>();
        var run = Guid.NewGuid().ToString("N")[..6];
        var saturate = quick ? 300 : 2000;
        var paced = quick ? 150 : 1000;
        string[] questions = ["where is my order?", "I want to cancel my purchase", "how do I get a refund", "I forgot my password",
            "can I change the delivery address", "what payment methods do you accept", "I need my invoice", "tengo un problema con el pago"];
        // Each notification from its own customer number (digits only, as WhatsApp sends them): one conversation, one draft.
        List<Webhooks.Signed> Load(string phase, int count) => Enumerable.Range(0, count)
            .Select(i => Webhooks.Build($"wamid.bench.{run}.{phase}.{i}", $"34{"wrhuab".IndexOf(phase, StringComparison.Ordinal) + 1}{i:D8}",
                $"Customer {phase}{i}", questions[i % questions.Length]))
            .ToList();

        // The app's delayed warm-up (models, indexes, a compacting collection) over first, so it runs behind neither side.
        log.WriteLine($"app settled {(await app.SettleAsync(TimeSpan.FromSeconds(60))).TotalSeconds:0.0} s after the scenario began");
        // Baseline first, so the app's draft jobs are not running behind it.
        var folder = Directory.CreateTempSubdirectory("hitl-raw-").FullName;
        Webhooks.LoadResult rawMax, rawHalf;
        await using (var raw = await RawIngestServer.StartAsync(folder))
        {
            using var http = Webhooks.Client(raw.Address, Connections);
            await Webhooks.SaturateAsync(http, RawIngestServer.Path, Load("w", 200), Connections); // warm-up
            rawMax = await Webhooks.SaturateAsync(http, RawIngestServer.Path, Load("r", saturate), Connections);
            rawHalf = await Webhooks.PacedAsync(http, RawIngestServer.Path, Load("h", paced), rawMax.PerSecond / 2);
            log.WriteLine($"baseline raw insert: {rawMax.PerSecond:0}/s p50 {rawMax.P50:0.0} ms p99 {rawMax.P99:0.0} ms; at half load p99 {rawHalf.P99:0.0} ms; rows {await raw.CountAsync()}");
        }
        Directory.Delete(folder, recursive: true);

        using (var http = Webhooks.Client(app.BaseAddress, Connections))
        {
            // Warmed like the baseline (200 webhooks), then settled again: their drafts written and the JIT's second tier done.
            var warm = Load("u", 200);
            await Webhooks.SaturateAsync(http, WhatsAppWebhook.Path, warm, Connections);
            log.WriteLine($"app warmed up and settled in {(await app.SettleAsync(TimeSpan.FromSeconds(90))).TotalSeconds:0.0} s");
            var max = await Webhooks.SaturateAsync(http, WhatsAppWebhook.Path, Load("a", saturate), Connections);
            log.WriteLine($"app webhook: {max.PerSecond:0}/s p50 {max.P50:0.0} ms p99 {max.P99:0.0} ms, {max.Failed} failed");
            var half = await Webhooks.PacedAsync(http, WhatsAppWebhook.Path, Load("b", paced), max.PerSecond / 2);
            log.WriteLine($"app webhook at half load ({max.PerSecond / 2:0}/s): p50 {half.P50:0.0} ms p99 {half.P99:0.0} ms, {half.Failed} failed");
            // Every acknowledged notification becomes a stored message given its draft, exactly once. The webhook answers once
            // the delivery is appended (ADR 0025), so the count is taken after the drafts, when every delivery has been read.
            var sent = warm.Count + max.Accepted + half.Accepted;
            var watch = Stopwatch.StartNew();
            var drafted = 0L;
            while (watch.Elapsed < TimeSpan.FromMinutes(quick ? 3 : 6))
            {
                drafted = await ScalarAsync(app, $"SELECT COUNT(*) FROM Drafts d JOIN Messages m ON m.Id = d.MessageId WHERE m.ExternalId LIKE 'wamid.bench.{run}.%'");
                if (drafted >= sent) break;
                await Task.Delay(500);
            }
            var stored = await ScalarAsync(app, $"SELECT COUNT(*) FROM Messages WHERE ExternalId LIKE 'wamid.bench.{run}.%'");
            var distinct = await ScalarAsync(app, $"SELECT COUNT(DISTINCT ExternalId) FROM Messages WHERE ExternalId LIKE 'wamid.bench.{run}.%'");
            log.WriteLine($"acknowledged {sent}, stored {stored} ({distinct} distinct), drafted {drafted} after {watch.Elapsed.TotalSeconds:0} s more");
            var intact = stored == sent && distinct == sent && drafted == sent && max.Failed == 0 && half.Failed == 0;
            var ratio = max.PerSecond / rawMax.PerSecond;
            results.Add(new BenchResult("webhook ingest: throughput, 32 connections",
                $"{max.PerSecond:0}/s (p50 {max.P50:0} ms, p99 {max.P99:0} ms)", $"{rawMax.PerSecond:0}/s (p99 {rawMax.P99:0.0} ms)", ratio,
                "≥ 50 % of baseline", ratio >= 0.5));
            results.Add(new BenchResult($"webhook ingest: latency at half load ({max.PerSecond / 2:0}/s)",
                $"p50 {half.P50:0.0} ms, p99 {half.P99:0.0} ms", $"p99 {rawHalf.P99:0.0} ms at {rawMax.PerSecond / 2:0}/s", half.P99 / rawHalf.P99,
                "p99 < 50 ms", half.P99 < 50));
            results.Add(new BenchResult("webhook ingest: nothing lost or doubled",
                $"{sent} acknowledged, {stored} stored, {distinct} distinct, {drafted} drafted", "—", null, "all equal", intact,
                $"every acknowledged message drafted {watch.Elapsed.TotalSeconds:0} s after the load ended"));
        }

        results.Add(await InboundToDraftAsync(app, run, quick ? 10 : 40, log));
        return results;
    }

    /// <summary>One message at a time on an idle app: webhook answered → draft stored, against the model's own draft time.</summary>
    private static async Task<BenchResult> InboundToDraftAsync(AppUnderTest app, string run, int count, TextWriter log)
    {
        using var http = Webhooks.Client(app.BaseAddress, 1);
        var answered = new Dictionary<string, DateTime>();
        for (var i = 0; i < count; i++)
        {
            var wamid = $"wamid.bench.{run}.d.{i}";
            using (var response = await Webhooks.PostAsync(http, WhatsAppWebhook.Path, Webhooks.Build(wamid, $"3471{i:D7}", $"Latency {i}", "where is my order?")))
            {
                response.EnsureSuccessStatusCode();
                answered[wamid] = DateTime.UtcNow;
            }
            var watch = Stopwatch.StartNew();
            while (await ScalarAsync(app, $"SELECT COUNT(*) FROM Drafts d JOIN Messages m ON m.Id = d.MessageId WHERE m.ExternalId = '{wamid}'") == 0)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"no draft for {wamid} after 30 s");
                await Task.Delay(20);
            }
            await Task.Delay(100);
        }
        var stored = await DraftTimesAsync(app, $"wamid.bench.{run}.d.%");
        var total = stored.Select(s => (s.StoredUtc - answered[s.Wamid]).TotalMilliseconds).ToList();
        var model = stored.Select(s => (double)s.LatencyMs).ToList();
        var p95 = Stats.Percentile(total, 0.95);
        log.WriteLine($"inbound → draft: p50 {Stats.Percentile(total, 0.5):0} ms p95 {p95:0} ms; model p50 {Stats.Percentile(model, 0.5):0} ms p95 {Stats.Percentile(model, 0.95):0} ms");
        return new BenchResult("inbound → draft (built-in model, one at a time)",
            $"p50 {Stats.Ms(Stats.Percentile(total, 0.5))}, p95 {Stats.Ms(p95)}",
            $"model alone p50 {Stats.Ms(Stats.Percentile(model, 0.5))}, p95 {Stats.Ms(Stats.Percentile(model, 0.95))}",
            p95 / Stats.Percentile(model, 0.95), "p95 < 500 ms", p95 < 500);
    }

    public sealed record DraftTime(string Wamid, DateTime StoredUtc, int LatencyMs, DateTime MessageStoredUtc);

    /// <summary>When each draft was stored (its job's start, CreatedUtc, plus the model's time, LatencyMs), and its message.</summary>
    public static async Task<List<DraftTime>> DraftTimesAsync(AppUnderTest app, string wamidLike)
    {
        await using var connection = new SqliteConnection(app.SqliteConnectionString + ";Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT m.ExternalId, d.CreatedUtc, d.LatencyMs, m.CreatedUtc FROM Drafts d JOIN Messages m ON m.Id = d.MessageId WHERE m.ExternalId LIKE $like";
        command.Parameters.AddWithValue("$like", wamidLike);
        var list = new List<DraftTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var created = DateTime.SpecifyKind(DateTime.Parse(reader.GetString(1), CultureInfo.InvariantCulture), DateTimeKind.Utc);
            var message = DateTime.SpecifyKind(DateTime.Parse(reader.GetString(3), CultureInfo.InvariantCulture), DateTimeKind.Utc);
            list.Add(new DraftTime(reader.GetString(0), created.AddMilliseconds(reader.GetInt32(2)), reader.GetInt32(2), message));
        }
        return list;
    }

    public static async Task<long> ScalarAsync(AppUnderTest app, string sql)
    {
        await using var connection = new SqliteConnection(app.SqliteConnectionString + ";Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
