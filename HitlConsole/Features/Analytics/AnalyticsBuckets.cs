namespace HitlConsole.Features.Analytics;

/// <summary>How analytics groups what it counts: the intents a chart names, edit sizes and response times.</summary>
public static class AnalyticsBuckets
{
    /// <summary>Intents a chart over time names; the rest are drawn together as <see cref="Other"/>.</summary>
    public const int TopIntents = 6;

    /// <summary>Drafts without an intent, and the intents beyond the top ones.</summary>
    public const string Other = "other";

    public static readonly string[] EditBuckets = ["0", "1–10", "11–50", "51–200", "200+"];

    /// <summary>Upper bounds (seconds) of the response-time histogram used for medians and p90.</summary>
    public static readonly int[] ResponseBounds = [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400, int.MaxValue];
}
