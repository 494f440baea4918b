namespace HitlConsole.Features.Analytics;

/// <summary>How analytics groups what it counts: the intents a chart names, edit sizes and response times.</summary>
public static class AnalyticsBuckets
{
    /// <summary>Intents a chart over time names; the rest are drawn together as <see cref="OtherIntents"/>.</summary>
    public const int TopIntents = 6;

    /// <summary>
    /// Drafts the model gave no intent, in charts, exports and the intent filter. Intent names are <c>[a-z0-9_]</c>, so neither
    /// this code nor <see cref="OtherIntents"/> can be a workspace's own intent (one may well be called "other").
    /// </summary>
    public const string NoIntent = "no-intent";

    /// <summary>The intents beyond the top ones, drawn together in the charts over time (never a filter: it is many intents).</summary>
    public const string OtherIntents = "other-intents";

    /// <summary>Whether a chart's key is one of the two groups above rather than an intent.</summary>
    public static bool IsGroup(string code) => code is NoIntent or OtherIntents;

    /// <summary>The name people read for an intent code or one of the two groups, each with a name of its own.</summary>
    public static string Name(string? code, Microsoft.Extensions.Localization.IStringLocalizer l) => code switch
    {
        NoIntent => l["ChartNoIntent"],
        OtherIntents => l["ChartOtherIntents"],
        _ => Localization.IntentNames.Intent(code, l),
    };

    public static readonly string[] EditBuckets = ["0", "1–10", "11–50", "51–200", "200+"];

    /// <summary>Upper bounds (seconds) of the response-time histogram used for medians and p90.</summary>
    public static readonly int[] ResponseBounds = [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400, int.MaxValue];
}
