namespace HitlConsole.Features.Analytics;

/// <summary>How sure the model was: drafts per confidence decile (index 10 is exactly 100), blocked and failed ones left out.</summary>
public sealed class GetConfidenceAnalytics(AnalyticsScans scans)
{
    public async Task<int[]> HandleAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        AnalyticsFolds.Confidence(await scans.ByConfidenceAsync(q, zone, ct));
}
