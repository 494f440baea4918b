namespace HitlConsole.Features.Analytics;

/// <summary>Every number of the analytics page for one query.</summary>
public sealed record Overview(Kpis Kpis, Kpis Previous, IntentSeries Intents, IReadOnlyList<IntentRate> Rates,
    IReadOnlyList<(string Intent, int[] Buckets)> Edits, int[] Confidence, IReadOnlyList<ResponseByHour> Response, int[,] Heatmap);

/// <summary>Everything the analytics page shows, as the page loads it.</summary>
public sealed class GetAnalyticsOverview(AnalyticsScans scans)
{
    /// <summary>
    /// From four scans of the range instead of one per chart: drafts by (day or hour, intent, state, edit size), by (local hour,
    /// state, response-time bucket), by confidence, and the previous period's KPIs; the summary is consulted once for the first three.
    /// On SQLite the provider executes "async" queries synchronously, so each scan runs on its own thread to use the cores.
    /// </summary>
    public async Task<Overview> HandleAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct)
    {
        var summary = await scans.SummarisedAsync(q, zone, ct);
        var byIntent = Task.Run(() => scans.ByIntentAsync(q, zone, summary, ct), ct);
        var byHour = Task.Run(() => scans.ByHourAsync(q, zone, summary, ct), ct);
        var inbound = Task.Run(() => scans.InboundAsync(q, zone, ct), ct);
        var confidence = Task.Run(() => scans.ByConfidenceAsync(q, zone, summary, ct), ct);
        var previous = Task.Run(() => new GetAnalyticsKpis(scans).HandleAsync(q.Previous, zone, ct), ct);
        await Task.WhenAll(byIntent, byHour, inbound, confidence, previous);
        var (intentRows, hourRows) = (await byIntent, await byHour);
        return new Overview(AnalyticsFolds.Kpis(hourRows, await inbound), await previous, AnalyticsFolds.Intents(intentRows, q),
            AnalyticsFolds.Rates(intentRows), AnalyticsFolds.Edits(intentRows), AnalyticsFolds.Confidence(await confidence),
            AnalyticsFolds.Response(hourRows), AnalyticsFolds.Heatmap(hourRows));
    }
}
