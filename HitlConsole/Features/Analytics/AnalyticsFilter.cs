using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;

namespace HitlConsole.Features.Analytics;

/// <summary>
/// The one place an <see cref="AnalyticsQuery"/> becomes conditions: every KPI, chart and CSV export reads its drafts, its
/// inbound messages and its summary rows through these, so a filter narrows all of them alike. With an intent, agent or
/// version filter, the inbound messages are those answered by a matching draft (a message carries no intent of its own).
/// </summary>
public static class AnalyticsFilter
{
    /// <summary>[Start, End) in UTC quarters: the query's local days, the last one cut at <see cref="AnalyticsQuery.Until"/>.</summary>
    public static (long Start, long End) Quarters(AnalyticsQuery q, TimeZoneInfo zone)
    {
        var (start, end) = AnalyticsTime.Quarters(q.From, q.To, zone);
        return q.Until is { } until ? (start, Math.Clamp(AnalyticsTime.QuarterEndingAt(q.To, until, zone), start, end)) : (start, end);
    }

    /// <summary>The drafts of quarters [start, end) that pass the query's filters.</summary>
    public static IQueryable<Draft> Drafts(IQueryable<Draft> drafts, AnalyticsQuery q, long start, long end) =>
        Narrow(drafts.Where(d => d.Quarter >= start && d.Quarter < end), q);

    /// <summary>The customers' messages of the query's range on its channel; with a draft filter, only those a matching draft answered.</summary>
    public static IQueryable<Message> Inbound(HitlDbContext db, AnalyticsQuery q, TimeZoneInfo zone)
    {
        var (start, end) = Quarters(q, zone);
        var (startUtc, endUtc) = (AnalyticsTime.UtcOf(start), AnalyticsTime.UtcOf(end));
        var messages = db.Messages.Where(m => m.Direction == MessageDirection.Inbound && m.SentUtc >= startUtc && m.SentUtc < endUtc);
        if (q.ChannelId is { } channel) messages = messages.Where(m => m.ChannelId == channel);
        if (!q.NarrowsDrafts) return messages;
        var answered = Drafts(db.Drafts, q, start, end).Select(d => d.MessageId); // a draft's quarter is its message's
        return messages.Where(m => answered.Contains(m.Id));
    }

    /// <summary>Whether a draft's (or summary row's) intent passes the intent filter; <see cref="AnalyticsBuckets.NoIntent"/> stands for drafts without one.</summary>
    public static bool Matches(AnalyticsQuery q, string? intent) =>
        string.IsNullOrWhiteSpace(q.Intent) || (q.Intent == AnalyticsBuckets.NoIntent ? intent is null : intent == q.Intent);

    private static IQueryable<Draft> Narrow(IQueryable<Draft> drafts, AnalyticsQuery q)
    {
        if (q.ChannelId is { } channel) drafts = drafts.Where(d => d.ChannelId == channel);
        if (!string.IsNullOrWhiteSpace(q.Intent)) drafts = q.Intent == AnalyticsBuckets.NoIntent ? drafts.Where(d => d.Intent == null) : drafts.Where(d => d.Intent == q.Intent);
        if (!string.IsNullOrWhiteSpace(q.AgentId)) drafts = drafts.Where(d => d.ReviewedByUserId == q.AgentId);
        if (q.ConfigVersion is { } version) drafts = drafts.Where(d => d.ConfigVersion == version);
        return drafts;
    }
}
