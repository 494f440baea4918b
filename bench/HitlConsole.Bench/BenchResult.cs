using System.Globalization;

namespace HitlConsole.Bench;

/// <summary>One line of the summary table: our figure, the baseline measured in the same run, and the goal.</summary>
/// <param name="Ratio">Our figure over the baseline (for throughputs: ours / baseline, so higher is better).</param>
/// <param name="Met">Whether the goal is met; null when the scenario has no goal or could not judge it.</param>
public sealed record BenchResult(string Scenario, string Ours, string Baseline, double? Ratio, string Goal, bool? Met, string? Note = null)
{
    public static void WriteTable(TextWriter output, IReadOnlyList<BenchResult> results)
    {
        output.WriteLine("| scenario | our figure | baseline in the same run | ratio | goal | met |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var ratio = r.Ratio is { } x ? x.ToString(x >= 10 ? "0" : "0.00", CultureInfo.InvariantCulture) + "×" : "—";
            var met = r.Met switch { true => "met", false => "**missed**", null => "—" };
            output.WriteLine($"| {r.Scenario} | {r.Ours} | {r.Baseline} | {ratio} | {r.Goal} | {met} |");
        }
        foreach (var r in results.Where(r => r.Note is not null)) output.WriteLine($"- {r.Scenario}: {r.Note}");
    }
}

public static class Stats
{
    /// <summary>Nearest-rank percentile of an unsorted sample.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double ms) => ms.ToString(ms >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + " ms";
}
