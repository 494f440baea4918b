namespace HitlConsole.Features.Analytics;

/// <summary>
/// What a manager asked for: local days in the tenant's time zone and optional filters. <paramref name="Until"/> cuts the
/// last day at a local time of day: a range ending today ends now, and the period it is compared with ends at the same
/// time of its own last day (today until 10:07 against yesterday until 10:07, not all of yesterday).
/// </summary>
public sealed record AnalyticsQuery(DateOnly From, DateOnly To, Guid? ChannelId = null, string? Intent = null, string? AgentId = null,
    int? ConfigVersion = null, TimeOnly? Until = null)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of the same length just before, cut at the same time of day, for the KPI changes.</summary>
    public AnalyticsQuery Previous => this with { From = From.AddDays(-Days), To = From.AddDays(-1) };

    /// <summary>Part of this query's days: the cut applies only when the part ends on this query's last day.</summary>
    public AnalyticsQuery Part(DateOnly from, DateOnly to) => this with { From = from, To = to, Until = to == To ? Until : null };

    /// <summary>Whether a filter narrows the drafts beyond the channel (intent, agent or configuration version).</summary>
    public bool NarrowsDrafts => !string.IsNullOrWhiteSpace(Intent) || !string.IsNullOrWhiteSpace(AgentId) || ConfigVersion is not null;
}
