namespace HitlConsole.Domain;

/// <summary>Which chart family a summary row feeds; each keeps only the dimensions its charts group by.</summary>
public enum AnalyticsFold : byte
{
    /// <summary>Drafts by intent, state and edit-size bucket: intents over time, share, rates, edits.</summary>
    Intent = 1,
    /// <summary>Drafts by local hour of day, state and response-time bucket: KPIs, response by hour, heatmap.</summary>
    Hour = 2,
    /// <summary>Drafts by confidence decile.</summary>
    Confidence = 3,
}

/// <summary>
/// One group of drafts of one local day (in the tenant's time zone) — the analytics summary of a day that has ended.
/// <see cref="ChannelId"/> null holds every channel; a channel's own rows answer the channel filter.
/// </summary>
public sealed class AnalyticsDay : ITenantOwned
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    /// <summary>Local day number since 1970-01-01 in the tenant's time zone.</summary>
    public int Day { get; set; }
    public Guid? ChannelId { get; set; }
    public AnalyticsFold Fold { get; set; }
    public string? Intent { get; set; }
    /// <summary>Null for <see cref="AnalyticsFold.Confidence"/>, which counts every draft that was not blocked or failed.</summary>
    public DraftState? State { get; set; }
    /// <summary>Local hour of day (0–23) for <see cref="AnalyticsFold.Hour"/>; 0 otherwise.</summary>
    public int Hour { get; set; }
    /// <summary>Edit-size bucket, response-time bucket or confidence decile, by <see cref="Fold"/>; -1 = none.</summary>
    public int Bucket { get; set; }
    public int Count { get; set; }
}

/// <summary>How far a tenant's analytics summary reaches and what it was computed for.</summary>
public sealed class AnalyticsSummary : ITenantOwned
{
    public Guid TenantId { get; set; }
    /// <summary>The time zone the days were cut in; a workspace that changes zone gets its summary rebuilt.</summary>
    public string TimeZone { get; set; } = "";
    /// <summary>Every local day before this one (day number since 1970) is summarised.</summary>
    public int SummarisedUntilDay { get; set; }
    /// <summary>Drafts changed at or after this instant may not be in the summary: their days are read from the drafts.</summary>
    public DateTime CheckedUtc { get; set; }
    public int Version { get; set; }
}
