namespace HitlConsole.Features.Analytics;

/// <param name="Handled">Closed without sending (answered another way, or the conversation was resolved).</param>
/// <param name="Waiting">Still undecided: pending for review, or the model failed and a person has not retried it.</param>
public sealed record Kpis(int Inbound, int Drafts, int AutoSent, int ApprovedUnchanged, int Edited, int Rejected, int Expired, int Blocked,
    double? MedianResponseSeconds, int Handled = 0, int Waiting = 0);

/// <summary>The key figures of a period: messages in, drafts and what became of them, the median time to first response.</summary>
public sealed class GetAnalyticsKpis(AnalyticsScans scans)
{
    public async Task<Kpis> HandleAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        AnalyticsFolds.Kpis(await scans.ByHourAsync(q, zone, ct), await scans.InboundAsync(q, zone, ct));
}
