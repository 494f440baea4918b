using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Analytics;

/// <summary>
/// The scans behind every analytics number, aggregated in the database over the drafts' integer time facts (one covering
/// index), never by loading rows: every scan returns at most a few hundred groups for a 30-day range. Days that have ended
/// come from the daily summary (<see cref="AnalyticsSummariser"/>) where it answers the query; today and days changed since
/// the summary was computed come from the drafts.
/// </summary>
/// <param name="useSummary">False reads every day from the drafts, as before the summary existed; the benchmark compares the two.</param>
public sealed class AnalyticsScans(IDbContextFactory<HitlDbContext> factory, bool useSummary)
{
    /// <summary>
    /// The summary rows of local days <paramref name="from"/>–<paramref name="to"/>, read from the drafts, for one channel or,
    /// with <paramref name="channel"/> null, for all of them together.
    /// </summary>
    internal async Task<List<AnalyticsDay>> SummariseAsync(DateOnly from, DateOnly to, Guid? channel, TimeZoneInfo zone, CancellationToken ct)
    {
        var q = new AnalyticsQuery(from, to, channel);
        var intents = await IntentRowsAsync(q, zone, hourly: false, ct);
        var hours = await HourRowsAsync(q, zone, ct);
        var confidence = await ConfidenceRowsAsync(q, zone, ct);
        return
        [
            .. intents.Select(r => new AnalyticsDay { Day = (int)r.Bucket, ChannelId = channel, Fold = AnalyticsFold.Intent, Intent = r.Intent, State = r.State, Bucket = r.EditBucket, Count = r.Count }),
            .. hours.Select(r => new AnalyticsDay { Day = (int)(r.Hour / 24), Hour = (int)(r.Hour % 24), ChannelId = channel, Fold = AnalyticsFold.Hour, State = r.State, Bucket = r.Bucket, Count = r.Count }),
            .. confidence.Select(r => new AnalyticsDay { Day = (int)r.Day, ChannelId = channel, Fold = AnalyticsFold.Confidence, Bucket = r.Decile, Count = r.Count }),
        ];
    }

    /// <summary>One row per (local day — or hour for ranges of up to two days —, intent, state, edit-size bucket; -1 = not sent
    /// by a person), filtered like every other scan.</summary>
    internal sealed record IntentRow(long Bucket, string? Intent, DraftState State, int EditBucket, int Count);

    /// <summary>One row per (local hour since 1970, state, response-time bucket; -1 = no response yet), filtered by intent.</summary>
    internal sealed record HourRow(long Hour, DraftState State, int Bucket, int Count);

    /// <summary>One row per (local day, confidence decile) of drafts that were not blocked or failed.</summary>
    internal sealed record ConfidenceRow(long Day, int Decile, int Count);

    /// <summary>The days of a query the daily summary answers, and its rows for them.</summary>
    internal sealed record Summarised(HashSet<int> Days, List<AnalyticsDay> Rows);

    /// <summary>
    /// Null when the summary cannot answer the query: an agent or version filter (not summarised), a summary cut in another
    /// time zone, or no summarised day in the range. Days whose drafts changed after the summary was computed are left out, and
    /// so is a last day cut at a time of day (the summary holds whole days).
    /// </summary>
    internal async Task<Summarised?> SummarisedAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct)
    {
        if (!useSummary || q.AgentId is not null || q.ConfigVersion is not null) return null;
        await using var db = await factory.CreateDbContextAsync(ct);
        var summary = await db.AnalyticsSummaries.AsNoTracking().SingleOrDefaultAsync(ct);
        if (summary is null || summary.TimeZone != zone.Id) return null;
        var lastWhole = AnalyticsTime.DayIndex(q.To) - (q.Until is null ? 0 : 1);
        var (first, last) = (AnalyticsTime.DayIndex(q.From), Math.Min(lastWhole, summary.SummarisedUntilDay - 1));
        if (last < first) return null;
        var days = Enumerable.Range(first, last - first + 1).Except(await ChangedDaysAsync(db, summary, zone, ct)).ToHashSet();
        var rows = db.AnalyticsDays.AsNoTracking().Where(r => r.Day >= first && r.Day <= last);
        rows = q.ChannelId is { } channel ? rows.Where(r => r.ChannelId == channel) : rows.Where(r => r.ChannelId == null);
        return new Summarised(days, (await rows.ToListAsync(ct)).Where(r => days.Contains(r.Day)).ToList());
    }

    /// <summary>
    /// Local days with drafts changed at or after the summary's check. Filtered on the change time alone and without DISTINCT, so
    /// SQLite walks the (TenantId, UpdatedUtc, Quarter) index over the few recent changes: with a Quarter range or DISTINCT it
    /// preferred the analytics index (already in Quarter order) and read every draft of the tenant (2 s at a million drafts).
    /// </summary>
    internal static async Task<HashSet<int>> ChangedDaysAsync(HitlDbContext db, AnalyticsSummary summary, TimeZoneInfo zone, CancellationToken ct)
    {
        var quarters = await db.Drafts.AsNoTracking().Where(d => d.UpdatedUtc >= summary.CheckedUtc).Select(d => d.Quarter).ToListAsync(ct);
        return quarters.Distinct().Select(q => AnalyticsTime.DayIndexOf(q, zone)).ToHashSet();
    }

    /// <summary>The summarised days' rows from the summary, the other days (today, changed days) from the drafts.</summary>
    private static async Task<List<T>> MixedAsync<T>(AnalyticsQuery q, Summarised? summary, AnalyticsFold fold, Func<AnalyticsQuery, Task<List<T>>> raw,
        Func<AnalyticsDay, T> fromSummary)
    {
        if (summary is null) return await raw(q);
        var all = summary.Rows.Where(r => r.Fold == fold).Select(fromSummary).ToList();
        foreach (var (from, to) in RawRuns(q, summary.Days)) all.AddRange(await raw(q.Part(from, to)));
        return all;
    }

    /// <summary>The stretches of consecutive days of <paramref name="q"/> that the summary does not hold.</summary>
    private static IEnumerable<(DateOnly From, DateOnly To)> RawRuns(AnalyticsQuery q, HashSet<int> summarised)
    {
        DateOnly? open = null;
        for (var day = q.From; day <= q.To; day = day.AddDays(1))
        {
            var raw = !summarised.Contains(AnalyticsTime.DayIndex(day));
            if (raw) open ??= day;
            else if (open is { } start)
            {
                yield return (start, day.AddDays(-1));
                open = null;
            }
        }
        if (open is { } last) yield return (last, q.To);
    }

    /// <summary>One family of rows for a query on its own, the summary consulted for it (the overview shares one look at it).</summary>
    internal async Task<List<IntentRow>> ByIntentAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        await ByIntentAsync(q, zone, await SummarisedAsync(q, zone, ct), ct);

    internal async Task<List<HourRow>> ByHourAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        await ByHourAsync(q, zone, await SummarisedAsync(q, zone, ct), ct);

    internal async Task<List<ConfidenceRow>> ByConfidenceAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        await ByConfidenceAsync(q, zone, await SummarisedAsync(q, zone, ct), ct);

    /// <summary>The summary keeps intents apart, so its rows answer an intent filter too (filtered here like the drafts are).</summary>
    internal async Task<List<IntentRow>> ByIntentAsync(AnalyticsQuery q, TimeZoneInfo zone, Summarised? summary, CancellationToken ct)
    {
        // Ranges of up to two days are drawn by hour, which the daily summary cannot answer (and which are small).
        var hourly = q.Days <= 2;
        var rows = await MixedAsync(q, hourly ? null : summary, AnalyticsFold.Intent, part => IntentRowsAsync(part, zone, hourly, ct),
            r => new IntentRow(r.Day, r.Intent, r.State!.Value, r.Bucket, r.Count));
        return rows.Where(r => AnalyticsFilter.Matches(q, r.Intent)).ToList();
    }

    /// <summary>The summary holds every intent together, so an intent filter reads these from the drafts.</summary>
    internal Task<List<HourRow>> ByHourAsync(AnalyticsQuery q, TimeZoneInfo zone, Summarised? summary, CancellationToken ct) =>
        MixedAsync(q, q.NarrowsDrafts ? null : summary, AnalyticsFold.Hour, part => HourRowsAsync(part, zone, ct),
            r => new HourRow((long)r.Day * 24 + r.Hour, r.State!.Value, r.Bucket, r.Count));

    internal Task<List<ConfidenceRow>> ByConfidenceAsync(AnalyticsQuery q, TimeZoneInfo zone, Summarised? summary, CancellationToken ct) =>
        MixedAsync(q, q.NarrowsDrafts ? null : summary, AnalyticsFold.Confidence, part => ConfidenceRowsAsync(part, zone, ct),
            r => new ConfidenceRow(r.Day, r.Bucket, r.Count));

    private Task<List<IntentRow>> IntentRowsAsync(AnalyticsQuery q, TimeZoneInfo zone, bool hourly, CancellationToken ct)
    {
        var per = hourly ? 4 : AnalyticsTime.QuartersPerDay;
        return PerSegmentAsync(q, zone, (drafts, offset) => drafts
            .GroupBy(d => new
            {
                Bucket = (d.Quarter + offset) / per,
                d.Intent,
                // A message the guardrail stopped counts as blocked whatever a person did next: answered by hand, it is not
                // an AI draft approved or edited, and closed as handled it is still a block the manager should see.
                State = d.Classification == Draft.BlockedClassification ? DraftState.Blocked : d.State,
                Edit = d.Classification == Draft.BlockedClassification || (d.State != DraftState.Approved && d.State != DraftState.EditedAndSent) ? -1
                    : d.EditDistance == null || d.EditDistance == 0 ? 0 : d.EditDistance <= 10 ? 1 : d.EditDistance <= 50 ? 2 : d.EditDistance <= 200 ? 3 : 4,
            })
            .Select(g => new IntentRow(g.Key.Bucket, g.Key.Intent, g.Key.State, g.Key.Edit, g.Count())), ct);
    }

    private Task<List<HourRow>> HourRowsAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        PerSegmentAsync(q, zone, (drafts, offset) => drafts
            .GroupBy(d => new
            {
                Hour = (d.Quarter + offset) / 4,
                State = d.Classification == Draft.BlockedClassification ? DraftState.Blocked : d.State,
                Bucket = d.ResponseSeconds == null ? -1 : d.ResponseSeconds <= 10 ? 0 : d.ResponseSeconds <= 30 ? 1 : d.ResponseSeconds <= 60 ? 2
                    : d.ResponseSeconds <= 120 ? 3 : d.ResponseSeconds <= 300 ? 4 : d.ResponseSeconds <= 600 ? 5 : d.ResponseSeconds <= 1800 ? 6
                    : d.ResponseSeconds <= 3600 ? 7 : d.ResponseSeconds <= 7200 ? 8 : d.ResponseSeconds <= 14400 ? 9 : d.ResponseSeconds <= 43200 ? 10
                    : d.ResponseSeconds <= 86400 ? 11 : 12,
            })
            .Select(g => new HourRow(g.Key.Hour, g.Key.State, g.Key.Bucket, g.Count())), ct);

    private Task<List<ConfidenceRow>> ConfidenceRowsAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct) =>
        PerSegmentAsync(q, zone, (drafts, offset) => drafts
            .Where(d => d.State != DraftState.Blocked && d.State != DraftState.Failed && d.Classification != Draft.BlockedClassification)
            .GroupBy(d => new { Day = (d.Quarter + offset) / AnalyticsTime.QuartersPerDay, Decile = d.Confidence / 10 })
            .Select(g => new ConfidenceRow(g.Key.Day, g.Key.Decile, g.Count())), ct);

    internal async Task<int> InboundAsync(AnalyticsQuery q, TimeZoneInfo zone, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await AnalyticsFilter.Inbound(db, q, zone).CountAsync(ct);
    }

    private async Task<List<T>> PerSegmentAsync<T>(AnalyticsQuery q, TimeZoneInfo zone, Func<IQueryable<Draft>, long, IQueryable<T>> query,
        CancellationToken ct)
    {
        var (start, end) = AnalyticsFilter.Quarters(q, zone);
        var all = new List<T>();
        await using var db = await factory.CreateDbContextAsync(ct);
        foreach (var segment in AnalyticsTime.Segments(start, end, zone))
            all.AddRange(await query(AnalyticsFilter.Drafts(db.Drafts.AsNoTracking(), q, segment.Start, segment.End), segment.Offset).ToListAsync(ct));
        return all;
    }
}
