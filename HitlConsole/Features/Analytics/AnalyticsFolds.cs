using HitlConsole.Domain;

namespace HitlConsole.Features.Analytics;

/// <summary>
/// The page's numbers folded from the few grouped rows the scans of <see cref="AnalyticsScans"/> return (already filtered by
/// <see cref="AnalyticsFilter"/>): KPIs, series, rates, histograms and percentiles, in memory.
/// </summary>
internal static class AnalyticsFolds
{
    internal static Kpis Kpis(List<AnalyticsScans.HourRow> rows, int inbound)
    {
        int Count(DraftState s) => rows.Where(x => x.State == s).Sum(x => x.Count);
        var histogram = rows.Where(x => x.Bucket >= 0).GroupBy(x => x.Bucket).Select(g => (g.Key, g.Sum(x => x.Count))).ToList();
        return new Kpis(inbound, rows.Sum(x => x.Count), Count(DraftState.AutoSent), Count(DraftState.Approved), Count(DraftState.EditedAndSent),
            Count(DraftState.Rejected), Count(DraftState.Expired), Count(DraftState.Blocked), Percentile(histogram, 0.5),
            Count(DraftState.Handled), Count(DraftState.Pending) + Count(DraftState.Failed));
    }

    internal static IntentSeries Intents(List<AnalyticsScans.IntentRow> rows, AnalyticsQuery q)
    {
        var hourly = q.Days <= 2;
        var per = hourly ? 4 : AnalyticsTime.QuartersPerDay;
        var firstBucket = AnalyticsTime.QuarterOf(DateTime.SpecifyKind(q.From.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc)) / per;
        // Drawn by hour, a range that ends today stops at the hour under way: the hours still to come are not a fall to zero.
        var count = !hourly ? q.Days : q.Until is { } until ? (q.Days - 1) * 24 + until.Hour + 1 : q.Days * 24;
        var buckets = Enumerable.Range(0, count).Select(i => DateTime.SpecifyKind(AnalyticsTime.UtcOf((firstBucket + i) * per), DateTimeKind.Unspecified)).ToList();
        // The busiest intents by name; drafts without an intent are a series of their own, the other intents one together.
        var top = rows.Where(r => r.Intent is not null).GroupBy(r => r.Intent!).Select(g => (Intent: g.Key, Total: g.Sum(r => r.Count)))
            .OrderByDescending(x => x.Total).ThenBy(x => x.Intent, StringComparer.Ordinal).Take(AnalyticsBuckets.TopIntents).Select(x => x.Intent).ToHashSet();
        var series = new Dictionary<string, int[]>();
        foreach (var r in rows)
        {
            var index = (int)(r.Bucket - firstBucket);
            if (index < 0 || index >= count) continue;
            var name = r.Intent is null ? AnalyticsBuckets.NoIntent : top.Contains(r.Intent) ? r.Intent : AnalyticsBuckets.OtherIntents;
            if (!series.TryGetValue(name, out var counts)) series[name] = counts = new int[count];
            counts[index] += r.Count;
        }
        return new IntentSeries(hourly, buckets, series.OrderBy(s => s.Key switch { AnalyticsBuckets.NoIntent => 1, AnalyticsBuckets.OtherIntents => 2, _ => 0 }).ThenByDescending(s => s.Value.Sum()).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value)).ToList());
    }

    internal static IReadOnlyList<IntentRate> Rates(List<AnalyticsScans.IntentRow> rows) =>
        rows.GroupBy(r => r.Intent ?? AnalyticsBuckets.NoIntent).Select(g => new IntentRate(g.Key, g.Sum(r => r.Count),
                g.Where(r => r.State == DraftState.Approved).Sum(r => r.Count), g.Where(r => r.State == DraftState.EditedAndSent).Sum(r => r.Count),
                g.Where(r => r.State == DraftState.Rejected).Sum(r => r.Count), g.Where(r => r.State == DraftState.AutoSent).Sum(r => r.Count)))
            .OrderByDescending(r => r.Total).ThenBy(r => r.Intent, StringComparer.Ordinal).ToList();

    internal static IReadOnlyList<(string Intent, int[] Buckets)> Edits(List<AnalyticsScans.IntentRow> rows) =>
        rows.Where(r => r.EditBucket >= 0).GroupBy(r => r.Intent ?? AnalyticsBuckets.NoIntent)
            .Select(g => (g.Key, Enumerable.Range(0, AnalyticsBuckets.EditBuckets.Length).Select(b => g.Where(r => r.EditBucket == b).Sum(r => r.Count)).ToArray()))
            .OrderByDescending(x => x.Item2.Sum()).ThenBy(x => x.Key, StringComparer.Ordinal).ToList();

    internal static int[] Confidence(List<AnalyticsScans.ConfidenceRow> rows)
    {
        var deciles = new int[11];
        foreach (var r in rows) deciles[Math.Clamp(r.Decile, 0, 10)] += r.Count;
        return deciles;
    }

    internal static IReadOnlyList<ResponseByHour> Response(List<AnalyticsScans.HourRow> rows) =>
        Enumerable.Range(0, 24).Select(h =>
        {
            var hist = rows.Where(r => r.Bucket >= 0 && r.Hour % 24 == h).GroupBy(r => r.Bucket).Select(g => (g.Key, g.Sum(r => r.Count))).ToList();
            return new ResponseByHour(h, hist.Sum(x => x.Item2), Percentile(hist, 0.5), Percentile(hist, 0.9));
        }).ToList();

    internal static int[,] Heatmap(List<AnalyticsScans.HourRow> rows)
    {
        var grid = new int[7, 24];
        foreach (var r in rows) grid[((int)AnalyticsTime.LocalDay(r.Hour / 24).DayOfWeek + 6) % 7, (int)(r.Hour % 24)] += r.Count;
        return grid;
    }

    /// <summary>
    /// The time under which <paramref name="p"/> of the responses fall, read linearly inside the bucket that holds it: the
    /// bucket's upper bound alone made the hourly p90 line jump between 10 min, 30 min and 1 h on a few responses' difference.
    /// </summary>
    internal static double? Percentile(IReadOnlyList<(int Bucket, int Count)> histogram, double p)
    {
        var total = histogram.Sum(h => h.Count);
        if (total == 0) return null;
        var rank = p * total;
        var seen = 0;
        foreach (var (bucket, count) in histogram.OrderBy(h => h.Bucket))
        {
            if (seen + count >= rank && count > 0)
            {
                var upper = AnalyticsBuckets.ResponseBounds[bucket];
                // Past the last bound nothing says how long: two days stands for "more than one".
                if (upper == int.MaxValue) return 86400 * 2;
                var lower = bucket == 0 ? 0 : AnalyticsBuckets.ResponseBounds[bucket - 1];
                return Math.Round(lower + (upper - lower) * (rank - seen) / count, 1);
            }
            seen += count;
        }
        return null;
    }
}
