using System.Diagnostics;
using System.Globalization;
using HitlConsole.Domain;
using HitlConsole.Features.Analytics;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Bench;

/// <summary>
/// Analytics over N generated drafts (one per inbound message) in a fresh SQLite database with the product's schema:
/// every chart query for a 30-day range, timed (median of 5 after a warm-up), against a baseline measured in the same
/// run — a bare COUNT(*) over the same 30 days, the least any query over that range must read.
/// </summary>
public static class AnalyticsBench
{
    /// <param name="postgres">A PostgreSQL server connection string: the run creates (and drops) its own database there.</param>
    public static async Task RunAsync(int rows, TextWriter output, string? postgres = null)
    {
        var folder = Directory.CreateTempSubdirectory("hitl-bench-").FullName;
        var database = "hitl_bench_" + Guid.NewGuid().ToString("N")[..12];
        var connection = postgres is null ? $"Data Source={Path.Combine(folder, "bench.db")}"
            : new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        if (postgres is not null) await PostgresAsync(postgres, $"CREATE DATABASE \"{database}\"");
        var tenant = new TenantContext();
        var factory = new Factory(connection, tenant, postgres is not null);
        await using (var db = factory.CreateDbContext()) await db.Database.MigrateAsync();

        var tenantId = Guid.NewGuid();
        var watch = Stopwatch.StartNew();
        if (postgres is null) await GenerateAsync(connection, tenantId, rows);
        else await GeneratePostgresAsync(connection, tenantId, rows);
        output.WriteLine($"{(postgres is null ? "SQLite" : "PostgreSQL")}: generated {rows:N0} inbound messages with drafts over 90 days in {watch.Elapsed.TotalSeconds:0.0} s");
        await MeasureQueriesAsync(factory, tenant, tenantId, rows, output);
        if (Environment.GetEnvironmentVariable("HITL_KEEP_APP_DATA") == "1") Console.Error.WriteLine($"kept {folder}");
        else Directory.Delete(folder, recursive: true);
        if (postgres is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PostgresAsync(postgres, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    /// <summary>Times from the drafts alone, then with the daily summary the page normally reads, and the summarising itself.</summary>
    public sealed record QueryFigures(double Baseline, double Slowest, string SlowestName, double SideBySide, double SummarySlowest, string SummarySlowestName,
        double SummarySideBySide, double Summarising);

    /// <summary>Every chart query of the page for the last 30 days through the product's handler, against a bare COUNT(*).</summary>
    private static async Task<QueryFigures> MeasureQueriesAsync(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, Guid tenantId, int rows,
        TextWriter output)
    {
        tenant.Set(tenantId);
        var time = new HitlConsole.Features.Localization.WorkspaceTime(factory, tenant);
        var zone = await time.ReadAsync(default);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone));
        var q = new AnalyticsQuery(today.AddDays(-29), today);
        var (start, end) = AnalyticsTime.Quarters(q.From, q.To, zone);

        var baseline = await TimeAsync(async () =>
        {
            await using var db = factory.CreateDbContext();
            return await db.Drafts.CountAsync(d => d.Quarter >= start && d.Quarter < end);
        });
        output.WriteLine($"| query (30 days, {rows:N0} drafts) | median ms | × baseline |");
        output.WriteLine("|---|---|---|");
        output.WriteLine($"| baseline: COUNT(*) over the range | {baseline:0.0} | 1.0 |");
        var total = 0.0;
        var (slowest, slowestName) = (0.0, "");
        // Every chart's query over the scans given: from the drafts alone first, then with the daily summary.
        (string, Func<Task<object>>)[] Queries(AnalyticsScans scans)
        {
            var (kpis, intents, confidence, response) =
                (new GetAnalyticsKpis(scans), new GetIntentAnalytics(scans), new GetConfidenceAnalytics(scans), new GetResponseAnalytics(scans));
            return
            [
                ("KPIs (current period)", async () => await kpis.HandleAsync(q, zone, default)),
                ("KPIs (previous period)", async () => await kpis.HandleAsync(q.Previous, zone, default)),
                ("intents over time", async () => await intents.OverTimeAsync(q, zone, default)),
                ("approval/edit rate by intent", async () => await intents.RatesAsync(q, zone, default)),
                ("edit distance by intent", async () => await intents.EditsAsync(q, zone, default)),
                ("confidence distribution", async () => await confidence.HandleAsync(q, zone, default)),
                ("response time by hour", async () => await response.ByHourAsync(q, zone, default)),
                ("weekday × hour heatmap", async () => await response.HeatmapAsync(q, zone, default)),
            ];
        }
        var fromDrafts = new AnalyticsScans(factory, useSummary: false);
        foreach (var (name, run) in Queries(fromDrafts))
        {
            var ms = await TimeAsync(run);
            total += ms;
            if (ms > slowest) (slowest, slowestName) = (ms, name);
            output.WriteLine($"| {name} | {ms:0.0} | {ms / baseline:0.0} |");
        }
        output.WriteLine($"| every chart's own query, one after another | {total:0.0} | {total / baseline:0.0} |");
        // The page loads everything through one overview: four scans of the range on their own threads and connections.
        var together = await TimeAsync(async () => await new GetAnalyticsOverview(fromDrafts).HandleAsync(q, zone, default));
        output.WriteLine($"| the page's overview (as the page loads it) | {together:0.0} | {together / baseline:0.0} |");

        // What the recurring job does: summarise every ended day (here all 90 at once, as on the first run after an upgrade).
        await using (var db = factory.CreateDbContext())
            await db.AnalyticsSummaries.Where(s => s.TenantId == tenantId).ExecuteDeleteAsync();
        var watch = Stopwatch.StartNew();
        var days = await new AnalyticsSummariser(factory, fromDrafts, time, TimeProvider.System,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<AnalyticsSummariser>.Instance)
            .SummariseAsync(default);
        var summarising = watch.Elapsed.TotalMilliseconds;
        output.WriteLine($"| summarising {days} ended days (first run of the recurring job) | {summarising:0} | {summarising / baseline:0.0} |");
        var withSummary = new AnalyticsScans(factory, useSummary: true);
        var (summarySlowest, summarySlowestName) = (0.0, "");
        foreach (var (name, run) in Queries(withSummary))
        {
            var ms = await TimeAsync(run);
            if (ms > summarySlowest) (summarySlowest, summarySlowestName) = (ms, name);
        }
        output.WriteLine($"| slowest chart query with the daily summary ({summarySlowestName}) | {summarySlowest:0.0} | {summarySlowest / baseline:0.0} |");
        var summarised = await TimeAsync(async () => await new GetAnalyticsOverview(withSummary).HandleAsync(q, zone, default));
        output.WriteLine($"| the page's overview with the daily summary (today from the drafts) | {summarised:0.0} | {summarised / baseline:0.0} |");
        return new QueryFigures(baseline, slowest, slowestName, together, summarySlowest, summarySlowestName, summarised, summarising);
    }

    /// <summary>
    /// The same queries against the running app's database, after adding <paramref name="rows"/> messages with drafts to the demo
    /// workspace; then a manager opens the analytics page (last 30 days) until its last chart is drawn on the live circuit.
    /// </summary>
    public static async Task<List<BenchResult>> RunAgainstAppAsync(Tooling.AppUnderTest app, Browser? browser, int rows, TextWriter log)
    {
        string demo;
        await using (var connection = new SqliteConnection(app.SqliteConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Id FROM Tenants WHERE Name = 'Demo Support'";
            demo = (string)(await command.ExecuteScalarAsync())!;
        }
        var tenantId = Guid.Parse(demo);
        var watch = Stopwatch.StartNew();
        await GenerateAsync(app.SqliteConnectionString + ";Default Timeout=0", tenantId, rows, createTenant: false);
        log.WriteLine($"analytics: generated {rows:N0} messages with drafts in the demo workspace in {watch.Elapsed.TotalSeconds:0.0} s");
        var tenant = new TenantContext();
        var figures = await MeasureQueriesAsync(new Factory(app.SqliteConnectionString, tenant, postgres: false), tenant, tenantId, rows, log);
        var results = new List<BenchResult>
        {
            new($"analytics: slowest 30-day chart query over {rows:N0} messages, from the drafts", $"{Stats.Ms(figures.Slowest)} ({figures.SlowestName})",
                $"COUNT(*) over the range {Stats.Ms(figures.Baseline)}", figures.Slowest / figures.Baseline, "each < 300 ms", figures.Slowest < 300),
            new($"analytics: slowest 30-day chart query over {rows:N0} messages, with the daily summary", $"{Stats.Ms(figures.SummarySlowest)} ({figures.SummarySlowestName})",
                $"COUNT(*) over the range {Stats.Ms(figures.Baseline)}", figures.SummarySlowest / figures.Baseline, "each < 300 ms", figures.SummarySlowest < 300),
        };
        if (browser is null) return results;

        var page = await browser.SignInAsync(app.BaseAddress, "manager@demo.local", "/analytics?range=last30");
        var loads = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            var load = Stopwatch.StartNew();
            await page.GotoAsync("/analytics?range=last30&load=" + i);
            await page.GetByTestId("chart-heatmap").WaitForAsync(new() { Timeout = 60_000 });
            await page.GetByTestId("app-ready").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });
            loads.Add(load.Elapsed.TotalMilliseconds);
            // Where the time went: the prerendered page's arrival, the scripts, then the circuit (queries, render).
            var phases = await page.EvaluateAsync<double[]>("""
                () => { const n = performance.getEntriesByType('navigation')[0];
                        const r = performance.getEntriesByType('resource');
                        const neg = r.find(e => e.name.includes('negotiate')) ?? { startTime: -1, responseEnd: -1 };
                        return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, neg.startTime, neg.responseEnd, performance.now(),
                                r.length, r.reduce((m, e) => Math.max(m, e.responseEnd), 0)]; }
                """);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"analytics page {i}: first byte {phases[0]:0} ms, prerendered page {phases[1]:0} ms, scripts ready {phases[2]:0} ms, negotiate {phases[3]:0}–{phases[4]:0} ms, last chart ≈ {phases[5]:0} ms; {phases[6]} resources, last at {phases[7]:0} ms"));
        }
        await page.Context.CloseAsync();
        var median = Stats.Percentile(loads.Skip(1), 0.5);
        log.WriteLine($"analytics page interactive: {string.Join(", ", loads.Select(l => l.ToString("0", CultureInfo.InvariantCulture)))} ms");
        results.Add(new BenchResult($"analytics: page interactive with every chart, {rows:N0} messages", Stats.Ms(median),
            $"its data (the overview, with the summary) {Stats.Ms(figures.SummarySideBySide)}", median / figures.SummarySideBySide, "< 1.5 s", median < 1500,
            "navigation to the last chart drawn on the live circuit, median of 3 after a warm-up"));
        return results;
    }

    /// <summary>One statement on a PostgreSQL server (creating and dropping a run's own database).</summary>
    internal static async Task PostgresAsync(string server, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Generated inside the server (generate_series), so the million rows cost seconds, not a client round trip each.</summary>
    private static async Task GeneratePostgresAsync(string connectionString, Guid tenantId, int rows)
    {
        var (channel, contact, conversation) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var t = tenantId.ToString();
        string[] statements =
        [
            $"INSERT INTO \"Tenants\" (\"Id\", \"Name\", \"DefaultCulture\", \"TimeZone\", \"DraftTtlHours\", \"CreatedUtc\") VALUES ('{t}', 'Bench', 'en', 'Europe/Madrid', 24, now())",
            $"INSERT INTO \"Channels\" (\"Id\", \"TenantId\", \"Kind\", \"Name\", \"Active\", \"CreatedUtc\") VALUES ('{channel}', '{t}', 'Simulator', 'Bench', true, now())",
            $"INSERT INTO \"Contacts\" (\"Id\", \"TenantId\", \"ChannelId\", \"Address\", \"CreatedUtc\") VALUES ('{contact}', '{t}', '{channel}', '+1', now())",
            $"INSERT INTO \"Conversations\" (\"Id\", \"TenantId\", \"ChannelId\", \"ContactId\", \"Status\", \"Pinned\", \"AiMode\", \"LastActivityUtc\", \"CreatedUtc\") VALUES ('{conversation}', '{t}', '{channel}', '{contact}', 'Resolved', false, 'ReviewEverything', now(), now())",
            $"""
            INSERT INTO "Messages" ("Id", "TenantId", "ChannelId", "ConversationId", "Direction", "Author", "Text", "Type", "ExternalId", "DeliveryState", "SentUtc", "CreatedUtc", "AwaitingDraft", "GuardrailReleased", "SendAttempts")
            SELECT gen_random_uuid(), '{t}', '{channel}', '{conversation}', 'Inbound', 'Customer', 'question', 'text', 'bench.' || i, 'Delivered',
                   now() - random() * interval '90 days', now(), false, false, 0
            FROM generate_series(1, {rows}) i
            """,
            $"""
            INSERT INTO "Drafts" ("Id", "TenantId", "ConversationId", "MessageId", "Text", "Alternatives", "Intent", "Confidence", "Sources", "OutOfKnowledge",
                "LowConfidence", "LatencyMs", "PromptTokens", "CompletionTokens", "State", "Version", "CreatedUtc", "UpdatedUtc", "Quarter", "ChannelId",
                "ResponseSeconds", "EditDistance", "Classification")
            SELECT gen_random_uuid(), m."TenantId", m."ConversationId", m."Id", 'answer', '[]',
                   (ARRAY['track_order','cancel_order','get_refund','delivery_period','recover_password','payment_issue','check_invoice','complaint','place_order','change_order'])[1 + floor(random() * 10)::int],
                   1 + floor(random() * 99)::int, '[]', false, false, 5, 0, 0, s.state, 1, m."SentUtc", m."SentUtc",
                   floor(extract(epoch from m."SentUtc") / 900)::bigint, m."ChannelId",
                   CASE WHEN s.state IN ('Approved', 'EditedAndSent', 'AutoSent') THEN 5 + floor(random() * 7195)::int END,
                   CASE WHEN s.state = 'EditedAndSent' THEN 1 + floor(random() * 399)::int WHEN s.state = 'Approved' THEN 0 END,
                   CASE WHEN s.state = 'Blocked' THEN 'blocked' ELSE 'answer' END
            FROM "Messages" m
            CROSS JOIN LATERAL (SELECT (ARRAY['Approved','Approved','EditedAndSent','AutoSent','Rejected','Expired','Blocked','Approved'])[1 + floor(random() * 8 + 0 * length(m."ExternalId"))::int] AS state) s
            WHERE m."TenantId" = '{t}'
            """,
            "VACUUM ANALYZE", // what autovacuum does after a load: sets the visibility map, so index-only scans stay index-only
        ];
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync();
        }
    }

    internal static async Task<double> TimeAsync<T>(Func<Task<T>> run)
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(2);
    }

    /// <summary>Raw prepared inserts in one transaction: generating the data is not what is measured.</summary>
    private static async Task GenerateAsync(string connectionString, Guid tenantId, int rows, bool createTenant = true)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await Exec(connection, "PRAGMA busy_timeout=30000"); // the app may be writing the same file
        var tx = await connection.BeginTransactionAsync();
        string G(Guid g) => g.ToString().ToUpperInvariant();
        string D(DateTime d) => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        var now = DateTime.UtcNow;
        var channel = Guid.NewGuid();
        var contact = Guid.NewGuid();
        var conversation = Guid.NewGuid();
        if (createTenant)
            await Exec(connection, $"INSERT INTO Tenants (Id, Name, DefaultCulture, TimeZone, DraftTtlHours, CreatedUtc) VALUES ('{G(tenantId)}', 'Bench', 'en', 'Europe/Madrid', 24, '{D(now)}')");
        await Exec(connection, $"INSERT INTO Channels (Id, TenantId, Kind, Name, Active, CreatedUtc) VALUES ('{G(channel)}', '{G(tenantId)}', 'Simulator', 'Bench', 1, '{D(now)}')");
        await Exec(connection, $"INSERT INTO Contacts (Id, TenantId, ChannelId, Address, CreatedUtc) VALUES ('{G(contact)}', '{G(tenantId)}', '{G(channel)}', '+1', '{D(now)}')");
        await Exec(connection, $"INSERT INTO Conversations (Id, TenantId, ChannelId, ContactId, Status, Pinned, AiMode, LastActivityUtc, CreatedUtc) VALUES ('{G(conversation)}', '{G(tenantId)}', '{G(channel)}', '{G(contact)}', 'Resolved', 0, 'ReviewEverything', '{D(now)}', '{D(now)}')");

        await using var message = connection.CreateCommand();
        message.CommandText = "INSERT INTO Messages (Id, TenantId, ChannelId, ConversationId, Direction, Author, Text, Type, ExternalId, DeliveryState, SentUtc, CreatedUtc, AwaitingDraft, GuardrailReleased, SendAttempts) " +
                              "VALUES ($id, $t, $ch, $c, 'Inbound', 'Customer', 'question', 'text', $x, 'Delivered', $at, $at, 0, 0, 0)";
        await using var draft = connection.CreateCommand();
        draft.CommandText = "INSERT INTO Drafts (Id, TenantId, ConversationId, MessageId, Text, Alternatives, Intent, Confidence, Sources, OutOfKnowledge, LowConfidence, LatencyMs, PromptTokens, CompletionTokens, State, Version, CreatedUtc, UpdatedUtc, Quarter, ChannelId, ResponseSeconds, EditDistance, Classification) " +
                            "VALUES ($id, $t, $c, $m, 'answer', '[]', $intent, $conf, '[]', 0, 0, 5, 0, 0, $state, 1, $at, $at, $q, $ch, $resp, $edit, " +
                            "CASE $state WHEN 'Blocked' THEN 'blocked' ELSE 'answer' END)";
        foreach (var p in new[] { "$id", "$t", "$ch", "$c", "$x", "$at" }) message.Parameters.Add(new SqliteParameter(p, ""));
        foreach (var p in new[] { "$id", "$t", "$c", "$m", "$intent", "$conf", "$state", "$at", "$q", "$ch", "$resp", "$edit" }) draft.Parameters.Add(new SqliteParameter(p, ""));
        message.Parameters["$t"].Value = draft.Parameters["$t"].Value = G(tenantId);
        message.Parameters["$ch"].Value = draft.Parameters["$ch"].Value = G(channel);
        message.Parameters["$c"].Value = draft.Parameters["$c"].Value = G(conversation);
        string[] intents = ["track_order", "cancel_order", "get_refund", "delivery_period", "recover_password", "payment_issue", "check_invoice", "complaint", "place_order", "change_order"];
        string[] states = ["Approved", "Approved", "EditedAndSent", "AutoSent", "Rejected", "Expired", "Blocked", "Approved"];
        var random = new Random(42);
        var span = TimeSpan.FromDays(90).TotalSeconds;
        for (var i = 0; i < rows; i++)
        {
            var at = now.AddSeconds(-random.NextDouble() * span);
            var id = Guid.NewGuid();
            message.Parameters["$id"].Value = G(id);
            message.Parameters["$x"].Value = "bench." + i;
            message.Parameters["$at"].Value = D(at);
            await message.ExecuteNonQueryAsync();
            var state = states[random.Next(states.Length)];
            draft.Parameters["$id"].Value = G(Guid.NewGuid());
            draft.Parameters["$m"].Value = G(id);
            draft.Parameters["$intent"].Value = intents[random.Next(intents.Length)];
            draft.Parameters["$conf"].Value = random.Next(1, 100);
            draft.Parameters["$state"].Value = state;
            draft.Parameters["$at"].Value = D(at);
            draft.Parameters["$q"].Value = AnalyticsTime.QuarterOf(at);
            draft.Parameters["$resp"].Value = state is "Approved" or "EditedAndSent" or "AutoSent" ? random.Next(5, 7200) : DBNull.Value;
            draft.Parameters["$edit"].Value = state == "EditedAndSent" ? random.Next(1, 400) : state == "Approved" ? 0 : DBNull.Value;
            await draft.ExecuteNonQueryAsync();
            if (i % 50_000 == 49_999)
            {
                // Short transactions, so a running app's own writes (job heartbeats, the outbox) are not held up for long.
                await tx.CommitAsync();
                await tx.DisposeAsync();
                tx = await connection.BeginTransactionAsync();
                message.Transaction = draft.Transaction = (SqliteTransaction)tx;
            }
        }
        await tx.CommitAsync();
        await tx.DisposeAsync();
        await Exec(connection, "ANALYZE");
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    internal sealed class Factory(string connectionString, TenantContext tenant, bool postgres) : IDbContextFactory<HitlDbContext>
    {
        public HitlDbContext CreateDbContext() => postgres
            ? new PostgresHitlDbContext(new DbContextOptionsBuilder<HitlDbContext>().UseNpgsql(connectionString).Options, tenant)
            : new SqliteHitlDbContext(new DbContextOptionsBuilder<HitlDbContext>().UseSqlite(connectionString).Options, tenant);
    }
}
