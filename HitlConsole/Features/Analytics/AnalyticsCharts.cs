using System.Globalization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace HitlConsole.Features.Analytics;

/// <summary>
/// One chart as MudBlazor draws it: labels along the axis and one or more series. Charts by intent show the intents' names;
/// <see cref="Keys"/> keeps their codes, in the same order, for drill-down links and clicks.
/// </summary>
public sealed record ChartData(string[] Labels, List<ChartSeries<double>> Series, string[]? Codes = null)
{
    public static readonly ChartData None = new([], []);

    public string[] Keys => Codes ?? Labels;

    /// <summary>
    /// A round step for the value axis (1, 2 or 5 times a power of ten), about five steps up to the largest value (the tallest
    /// stack when <paramref name="stacked"/>). MudBlazor's step is 20 unless told: eight messages were drawn on an axis to 20,
    /// squashed at the bottom of the card.
    /// </summary>
    public int ValueStep(bool stacked = false)
    {
        var rows = Series.Select(s => s.Data.ToArray()).ToList();
        var largest = stacked
            ? Enumerable.Range(0, Labels.Length).Select(i => rows.Sum(r => i < r.Length ? r[i] : 0)).DefaultIfEmpty(0).Max()
            : rows.SelectMany(r => r).DefaultIfEmpty(0).Max();
        return RoundStep(largest / 5);
    }

    internal static int RoundStep(double rough)
    {
        if (!(rough > 1)) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        return (int)Math.Ceiling(new[] { 1, 2, 5, 10 }.Select(f => f * power).First(step => step >= rough));
    }
}

/// <summary>
/// The analytics page's charts shaped from one <see cref="Overview"/>: names in the UI language, dates in the UI culture,
/// rates as percentages, minutes with one decimal, and which charts have nothing to draw (they show a note instead).
/// </summary>
/// <param name="Rates">The rates by intent as the phone's rows show them (a row with nothing decided says so in words).</param>
/// <param name="RatesDrawn">
/// The same for the drawn chart: an intent none of whose drafts was sent or rejected (all blocked, expired, closed as handled or
/// still waiting: the "no intent" drafts, typically) would be a bare line there, so it is a full bar of its own colour
/// (<see cref="UndecidedColour"/>) named "Unsent: closed or waiting" in the legend.
/// </param>
/// <param name="IntentsPhone">The intents over time as a phone draws them: the busiest <see cref="PhoneIntents"/>, fewer dates.</param>
public sealed record AnalyticsCharts(ChartData Intents, ChartData Share, ChartData Outcomes, ChartData Rates, ChartData Edits,
    ChartData Confidence, ChartData Response, int[,] Heatmap, IReadOnlySet<string> Empty, ChartData RatesDrawn, ChartData IntentsPhone)
{
    public static readonly AnalyticsCharts None = new(ChartData.None, ChartData.None, ChartData.None, ChartData.None, ChartData.None,
        ChartData.None, ChartData.None, new int[7, 24], new HashSet<string>(), ChartData.None, ChartData.None);

    /// <summary>The drawn rate chart's bar for an intent with nothing decided yet: grey, after the four outcomes' colours.</summary>
    public const string UndecidedColour = "#bdbdbd";

    /// <summary>
    /// The intents over time as a phone draws them (<see cref="IntentsPhone"/>): on 390 px the six intents' lines crossed into
    /// a tangle and a date every 38 px ran together. The busiest three, and about five dates, read apart; the donut below
    /// still has every intent.
    /// </summary>
    public const int PhoneIntents = 3;

    private const int LabelsWide = 10, LabelsPhone = 5;

    /// <summary>Bar charts by intent show the busiest few; the CSV export has them all.</summary>
    public const int BarsPerChart = 8;

    /// <param name="todaySoFar">
    /// The range ends today: its last day is counted until now, so its point sits low on every line. It is labelled "today"
    /// (the chart's hint says it counts until now) rather than read as a fall.
    /// </param>
    public static AnalyticsCharts From(Overview overview, IStringLocalizer l, bool todaySoFar = false)
    {
        var series = overview.Intents;
        var intents = IntentLines(series, l, todaySoFar, series.Series.Count, LabelsWide);
        var intentsPhone = IntentLines(series, l, todaySoFar, PhoneIntents, LabelsPhone);
        var share = new ChartData(series.Series.Select(s => Name(s.Intent, l)).ToArray(),
            [Series(l["ChartIntentShare"], series.Series.Select(s => (double)s.Counts.Sum()))], series.Series.Select(s => s.Intent).ToArray());

        var k = overview.Kpis;
        var outcomes = new ChartData(
            // Every state a draft can end a period in: the bars after "Drafts" add up to it.
            [l["KpiInbound"], l["KpiDrafts"], l["KpiAutoSent"], l["KpiApproved"], l["KpiEdited"], l["KpiRejected"], l["KpiExpired"], l["KpiBlocked"],
                l["KpiHandled"], l["KpiWaiting"]],
            [Series(l["ChartOutcomes"], [k.Inbound, k.Drafts, k.AutoSent, k.ApprovedUnchanged, k.Edited, k.Rejected, k.Expired, k.Blocked, k.Handled, k.Waiting])]);

        // A rate needs decisions: intents with something sent or rejected come first (busiest first, as before), so a day's
        // edited intents are not pushed off the chart by busier ones whose drafts all still wait.
        var rates = overview.Rates.OrderByDescending(r => r.Decided > 0).Take(BarsPerChart).ToList();
        var rateChart = new ChartData(rates.Select(r => Name(r.Intent, l)).ToArray(),
        [
            Series(l["KpiApproved"], rates.Select(r => Percent(r.ApprovedUnchanged, r.Total))),
            Series(l["KpiEdited"], rates.Select(r => Percent(r.Edited, r.Total))),
            Series(l["KpiRejected"], rates.Select(r => Percent(r.Rejected, r.Total))),
            Series(l["KpiAutoSent"], rates.Select(r => Percent(r.AutoSent, r.Total))),
        ], rates.Select(r => r.Intent).ToArray());
        var undecided = rates.Select(r => r.Decided == 0).ToList();
        var ratesDrawn = undecided.Contains(true)
            ? rateChart with { Series = [.. rateChart.Series, Series(l["ChartNoneDecided"], undecided.Select(u => u ? 100.0 : 0))] }
            : rateChart;

        var edits = overview.Edits.Take(BarsPerChart).ToList();
        var editChart = new ChartData(edits.Select(e => Name(e.Intent, l)).ToArray(),
            AnalyticsBuckets.EditBuckets.Select((b, i) => Series(l["EditBucket", b], edits.Select(e => (double)e.Buckets[i]))).ToList(),
            edits.Select(e => e.Intent).ToArray());

        var confidence = new ChartData(Enumerable.Range(0, 11).Select(i => i == 10 ? "100" : $"{i * 10}–{i * 10 + 9}").ToArray(),
            [Series(l["ChartConfidence"], overview.Confidence.Select(c => (double)c))]);

        var response = overview.Response;
        var responseChart = new ChartData(Enumerable.Range(0, 24).Select(h => h % 3 == 0 ? $"{h:00}" : "").ToArray(),
        [
            Series(l["ChartMedianMinutes"], response.Select(r => Math.Round((r.MedianSeconds ?? 0) / 60, 1))),
            Series(l["ChartP90Minutes"], response.Select(r => Math.Round((r.P90Seconds ?? 0) / 60, 1))),
        ]);

        HashSet<string> empty =
        [
            .. series.Series.Count == 0 ? new[] { "intents" } : [],
            .. rates.Count == 0 ? new[] { "rates" } : [],
            .. edits.All(e => e.Buckets.All(b => b == 0)) ? new[] { "edits" } : [],
            .. overview.Confidence.All(c => c == 0) ? new[] { "confidence" } : [],
            .. response.All(r => r.MedianSeconds is null) ? new[] { "response" } : [],
            .. overview.Heatmap.Cast<int>().All(c => c == 0) ? new[] { "heatmap" } : [],
        ];
        return new AnalyticsCharts(intents, share, outcomes, rateChart, editChart, confidence, responseChart, overview.Heatmap, empty, ratesDrawn,
            intentsPhone);
    }

    /// <summary>
    /// The intents over time: the first <paramref name="lines"/> of the series (the busiest named intents come first), a date
    /// under about <paramref name="labels"/> of the buckets.
    /// </summary>
    private static ChartData IntentLines(IntentSeries series, IStringLocalizer l, bool todaySoFar, int lines, int labels)
    {
        var format = series.Hourly ? "HH:00" : "d MMM";
        var (last, markToday, step) = (series.Buckets.Count - 1, todaySoFar && !series.Hourly, SparseStep(series.Buckets.Count, labels));
        return new ChartData(
            series.Buckets.Select((b, i) => markToday && i == last ? l["ChartToday"].Value
                // Today's label takes the room of the sparse date labels just before it.
                : markToday && i > last - step ? ""
                : i % step == 0 ? b.ToString(format, CultureInfo.CurrentCulture) : "").ToArray(),
            // The smaller intents together outnumber each named one many times: drawn as a line they flattened the others
            // against the axis. Their share is on the donut; over time the chart follows the named intents.
            series.Series.Where(s => s.Intent != AnalyticsBuckets.OtherIntents).Take(lines)
                .Select(s => Series(Name(s.Intent, l), s.Counts.Select(c => (double)c))).ToList());
    }

    /// <summary>The KPI cards, each with the previous period's figure (localisation key, value, previous, whether in seconds).</summary>
    /// <param name="k">This period.</param>
    /// <param name="p">The previous period of the same length.</param>
    /// <returns>Each KPI with which way is good news (<see cref="KpiCard.Better"/>): volumes that depend on customers are neither.</returns>
    public static IEnumerable<(string Key, double Value, double Previous, bool Seconds, int Better)> KpiRows(Kpis k, Kpis p)
    {
        yield return ("KpiInbound", k.Inbound, p.Inbound, false, 0);
        yield return ("KpiDrafts", k.Drafts, p.Drafts, false, 0);
        yield return ("KpiAutoSent", k.AutoSent, p.AutoSent, false, 1);
        yield return ("KpiApproved", k.ApprovedUnchanged, p.ApprovedUnchanged, false, 1);
        yield return ("KpiEdited", k.Edited, p.Edited, false, 0);
        yield return ("KpiRejected", k.Rejected, p.Rejected, false, -1);
        yield return ("KpiExpired", k.Expired, p.Expired, false, -1);
        yield return ("KpiBlocked", k.Blocked, p.Blocked, false, 0);
        yield return ("KpiMedianResponse", k.MedianResponseSeconds ?? 0, p.MedianResponseSeconds ?? 0, true, -1);
    }

    /// <summary>A long range labels about ten of its days, so the labels do not overlap.</summary>
    public static bool Sparse(int index, int count) => index % SparseStep(count, LabelsWide) == 0;

    /// <summary>Every bucket is named up to 1.4 times <paramref name="labels"/> of them; past that, about that many are.</summary>
    private static int SparseStep(int count, int labels) => count * 5 <= labels * 7 ? 1 : count / labels + 1;

    private static double Percent(int part, int total) => total == 0 ? 0 : Math.Round(100.0 * part / total, 1);

    private static string Name(string intent, IStringLocalizer l) => AnalyticsBuckets.Name(intent, l);

    private static ChartSeries<double> Series(string name, IEnumerable<double> data) => new() { Name = name, Data = data.ToArray() };
}
