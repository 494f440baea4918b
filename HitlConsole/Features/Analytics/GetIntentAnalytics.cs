namespace HitlConsole.Features.Analytics;

public sealed record IntentSeries(bool Hourly, IReadOnlyList<DateTime> Buckets, IReadOnlyList<(string Intent, int[] Counts)> Series);

public sealed record IntentRate(string Intent, int Total, int ApprovedUnchanged, int Edited, int Rejected, int AutoSent)
{
    /// <summary>Drafts a person or the policy decided (sent or rejected): what a rate is read from.</summary>
    public int Decided => ApprovedUnchanged + Edited + Rejected + AutoSent;
}

/// <summary>The charts per intent, all folded from one scan of drafts by (day or hour, intent, state, edit size).</summary>
public sealed class GetIntentAnalytics(AnalyticsScans scans)
{
    /// <summary>Drafts per intent per local day (per local hour for ranges of up to two days); the top intents, drafts without one as "no intent", the rest as "other intents".</summary>
    public async Task<IntentSeries> OverTimeAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        AnalyticsFolds.Intents(await scans.ByIntentAsync(q, zone, ct), q);

    public async Task<IReadOnlyList<IntentRate>> RatesAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        AnalyticsFolds.Rates(await scans.ByIntentAsync(q, zone, ct));

    /// <summary>How much people changed sent drafts, per intent: counts per <see cref="AnalyticsBuckets.EditBuckets"/>.</summary>
    public async Task<IReadOnlyList<(string Intent, int[] Buckets)>> EditsAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        AnalyticsFolds.Edits(await scans.ByIntentAsync(q, zone, ct));
}
