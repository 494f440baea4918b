using HitlConsole.Infrastructure.Exports;
using System.Globalization;
using CsvHelper;
using HitlConsole.Domain;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Localization;

namespace HitlConsole.Features.Analytics;

/// <summary>GET /analytics/export/{chart}?from=&to=&channel=&intent=&agent=&version=: one chart's numbers as CSV (invariant culture, formula-safe).</summary>
public static partial class AnalyticsExport
{
    public static readonly string[] Charts = ["intents-over-time", "intent-share", "outcomes", "rates-by-intent", "confidence", "edits-by-intent", "response-by-hour", "heatmap"];

    public static IEndpointRouteBuilder MapAnalyticsExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/analytics/export/{chart}", ExportAsync).RequireAuthorization(p => p.RequireRole(Roles.Manager, Roles.Admin));
        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext http, string chart, GetIntentAnalytics intents, GetAnalyticsKpis kpis, GetConfidenceAnalytics confidence,
        GetResponseAnalytics response, WorkspaceTime time, DateOnly from, DateOnly to, Guid? channel,
        string? intent, string? agent, int? version, ILoggerFactory logs, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        if (!Charts.Contains(chart)) return Results.NotFound();
        if (to < from || to.DayNumber - from.DayNumber > 366 || !AnalyticsTime.IsPlausible(from) || !AnalyticsTime.IsPlausible(to))
        {
            // The caller's mistake, not the server's: a warning, never an error.
            LogBadRange(logs.CreateLogger(typeof(AnalyticsExport)), chart, from, to);
            return Results.Problem(statusCode: 400, detail: "Send from ≤ to, at most 366 days apart, between 1970 and 9998.");
        }
        var q = new AnalyticsQuery(from, to, channel, intent, agent, version);
        var zone = await time.ReadAsync(ct);
        var rows = new List<string[]>();
        string N(double? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
        switch (chart)
        {
            case "intents-over-time" or "intent-share":
                var series = await intents.OverTimeAsync(q, zone, ct);
                if (chart == "intent-share")
                {
                    rows.Add(["intent", "drafts"]);
                    rows.AddRange(series.Series.Select(s => new[] { s.Intent, N(s.Counts.Sum()) }));
                    break;
                }
                rows.Add(["bucket", "intent", "drafts"]);
                foreach (var (name, counts) in series.Series)
                    for (var i = 0; i < counts.Length; i++)
                        rows.Add([series.Buckets[i].ToString(series.Hourly ? "yyyy-MM-dd HH:00" : "yyyy-MM-dd", CultureInfo.InvariantCulture), name, N(counts[i])]);
                break;
            case "outcomes":
                var k = await kpis.HandleAsync(q, zone, ct);
                rows.Add(["outcome", "count"]);
                rows.AddRange(new (string, int)[] { ("inbound", k.Inbound), ("drafted", k.Drafts), ("auto-sent", k.AutoSent), ("approved-unchanged", k.ApprovedUnchanged),
                    ("edited", k.Edited), ("rejected", k.Rejected), ("expired", k.Expired), ("blocked", k.Blocked),
                    ("handled", k.Handled), ("waiting", k.Waiting) }.Select(x => new[] { x.Item1, N(x.Item2) }));
                break;
            case "rates-by-intent":
                rows.Add(["intent", "drafts", "approved_unchanged", "edited", "rejected", "auto_sent"]);
                rows.AddRange((await intents.RatesAsync(q, zone, ct)).Select(r =>
                    new[] { r.Intent, N(r.Total), N(r.ApprovedUnchanged), N(r.Edited), N(r.Rejected), N(r.AutoSent) }));
                break;
            case "confidence":
                rows.Add(["confidence_from", "drafts"]);
                rows.AddRange((await confidence.HandleAsync(q, zone, ct)).Select((c, i) => new[] { N(i * 10), N(c) }));
                break;
            case "edits-by-intent":
                rows.Add(["intent", .. AnalyticsBuckets.EditBuckets.Select(b => "edit_" + b)]);
                rows.AddRange((await intents.EditsAsync(q, zone, ct)).Select(e => new[] { e.Intent }.Concat(e.Buckets.Select(b => N(b))).ToArray()));
                break;
            case "response-by-hour":
                rows.Add(["hour", "responses", "median_seconds", "p90_seconds"]);
                rows.AddRange((await response.ByHourAsync(q, zone, ct)).Select(r => new[] { N(r.Hour), N(r.Count), N(r.MedianSeconds), N(r.P90Seconds) }));
                break;
            case "heatmap":
                var grid = await response.HeatmapAsync(q, zone, ct);
                rows.Add(["weekday", .. Enumerable.Range(0, 24).Select(h => $"h{h:00}")]);
                for (var d = 0; d < 7; d++)
                    rows.Add([CultureInfo.CurrentCulture.DateTimeFormat.GetDayName((DayOfWeek)((d + 1) % 7)), .. Enumerable.Range(0, 24).Select(h => N(grid[d, h]))]);
                break;
        }

        var intentColumn = Array.IndexOf(rows[0], "intent");
        rows[0] = ExportFiles.Localise(l, rows[0]);
        if (chart == "outcomes") for (var i = 1; i < rows.Count; i++) rows[i][0] = ExportFiles.Localise(l, [rows[i][0]], "CsvOutcome")[0];
        // As with the headers, English keeps the codes scripts read; another UI language gets the intent's name, which a person reads in Excel.
        if (intentColumn >= 0 && !ExportFiles.KeepsCodes())
            for (var i = 1; i < rows.Count; i++) rows[i][intentColumn] = AnalyticsBuckets.Name(rows[i][intentColumn], l);
        http.Response.ContentType = ExportFiles.CsvContentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{chart}-{from:yyyyMMdd}-{to:yyyyMMdd}.csv\"";
        await using var csv = await ExportFiles.CsvAsync(http.Response.Body, ct);
        foreach (var row in rows) await csv.WriteRecordAsync(row.Select(KnowledgeExport.Neutralise).ToArray(), ct);
        await csv.FlushAsync(ct);
        return Results.Empty;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics export {Chart} refused with 400: range {From} to {To} is not a plausible range")]
    private static partial void LogBadRange(ILogger logger, string chart, DateOnly from, DateOnly to);
}
