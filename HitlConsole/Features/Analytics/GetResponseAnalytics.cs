namespace HitlConsole.Features.Analytics;

public sealed record ResponseByHour(int Hour, int Count, double? MedianSeconds, double? P90Seconds);

/// <summary>When customers write and how fast they are answered, folded from one scan of drafts by local hour.</summary>
public sealed class GetResponseAnalytics(AnalyticsScans scans)
{
    /// <summary>Median and p90 time to first response per local hour of day (from a histogram, so to the bucket's bound).</summary>
    public async Task<IReadOnlyList<ResponseByHour>> ByHourAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        AnalyticsFolds.Response(await scans.ByHourAsync(q, zone, ct));

    /// <summary>Customer messages answered by drafts per local weekday (Monday first) and hour.</summary>
    public async Task<int[,]> HeatmapAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        AnalyticsFolds.Heatmap(await scans.ByHourAsync(q, zone, ct));
}
