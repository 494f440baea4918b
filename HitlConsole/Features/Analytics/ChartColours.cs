namespace HitlConsole.Features.Analytics;

/// <summary>
/// The analytics charts' colours. MudBlazor's default palette is saturated and the same for every chart, so an outcome,
/// an intent and an edit size all came out in the same neon blue, teal and amber. Here a colour carries a meaning: the
/// outcomes keep theirs on every chart, edit sizes warm up as more of the draft was rewritten, and the grouped rest
/// ("other intents", "no intent") is grey, so the named intents stand out.
/// </summary>
public static class ChartColours
{
    /// <summary>Categorical and muted (Tableau 10): eight intents stay apart on a line chart without a rainbow.</summary>
    private static readonly string[] Categorical = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"];

    public const string Single = "#4e79a7";
    public const string OtherIntents = "#c4ccd4";
    public const string NoIntent = "#8c8c8c";

    /// <summary>Approved unchanged, edited, rejected, auto-sent: the order of the rates chart's series.</summary>
    public static readonly string[] Outcomes = ["#59a14f", "#4e79a7", "#e15759", "#b07aa1"];

    /// <summary>
    /// From an untouched draft (green) to a rewritten one (crimson), in the order of <see cref="AnalyticsBuckets.EditBuckets"/>.
    /// A ramp of blues vanished at its dark end on the dark theme; this one keeps every step visible on both.
    /// </summary>
    public static readonly string[] EditSizes = ["#8cd17d", "#edc948", "#f28e2b", "#e15759", "#c2185b"];

    /// <summary>Median, then 90th percentile.</summary>
    public static readonly string[] Response = ["#4e79a7", "#f28e2b"];

    /// <summary>One colour per intent code, in the order given; the two groups are grey whatever their position.</summary>
    public static string[] ForIntents(IEnumerable<string> codes)
    {
        var named = 0;
        return codes.Select(code => code switch
        {
            AnalyticsBuckets.OtherIntents => OtherIntents,
            AnalyticsBuckets.NoIntent => NoIntent,
            _ => Categorical[named++ % Categorical.Length],
        }).ToArray();
    }
}
