using System.Globalization;

namespace HitlConsole.Features.Analytics;

/// <summary>
/// Bar charts with long names along the axis (outcomes, intents) slant them by <see cref="Rotation"/>°, each ending under its
/// bar. MudBlazor draws in a box 700 units wide and puts the first bar only 46–70 units from its left edge, so a long first
/// name, or a longer second one, ran past the edge and was cut. <see cref="Style"/> narrows the drawing by what the names need
/// and shows them in the room left free (app.css, <see cref="Class"/>); the drawing's type grows by as much as the drawing
/// shrinks, so the names read the same size on screen as before. A phone shows these charts as rows instead
/// (<see cref="HorizontalBars"/>): the drawing left for the bars there was a strip.
/// </summary>
public static class SlantedAxis
{
    public const int Rotation = 30;

    public const string Class = "hitl-chart-slanted";

    /// <summary>A longer name is given the room of this many characters (and is cut beyond them).</summary>
    public const int MaxCharacters = 40;

    private const double DrawingWidth = 700;

    /// <summary>
    /// The nearest the first and the last bar's names end to the drawing's left edge (more when the value axis's numbers are
    /// wider); the bars between are evenly spaced.
    /// </summary>
    private const double FirstLabelEnd = 46, LastLabelEnd = 654;

    /// <summary>A character's advance as a share of the type size; generous, for fonts wider than Roboto.</summary>
    private const double CharacterWidth = 0.6;

    private const double Type = 12;

    /// <param name="Room">The share of the chart's width, in percent, left free on the left of the drawing.</param>
    /// <param name="Type">The drawing's type size, in its own units.</param>
    public sealed record Fit(double Room, double Type);

    /// <summary>The chart's style: room and type size for its names.</summary>
    public static string Style(IReadOnlyList<string> labels)
    {
        var fit = FitFor(labels, Type);
        return string.Create(CultureInfo.InvariantCulture, $"--hitl-axis-room: {fit.Room:0.#}%; --hitl-axis-type: {fit.Type:0.#}px");
    }

    /// <summary>
    /// The name reaching furthest left of the drawing decides the room: <c>r</c> units past the edge need <c>r / (700 + r)</c>
    /// of the width. The type grows by <c>(700 + r) / 700</c>, and every name's reach with it.
    /// </summary>
    public static Fit FitFor(IReadOnlyList<string> labels, double type)
    {
        var ends = labels.Select((_, i) => labels.Count == 1 ? FirstLabelEnd : FirstLabelEnd + i * (LastLabelEnd - FirstLabelEnd) / (labels.Count - 1)).ToList();
        var reaches = labels.Select(Reach).ToList();
        var grown = type;
        for (var i = 0; i < labels.Count; i++)
            if (type * reaches[i] > ends[i])
                grown = Math.Max(grown, type * (DrawingWidth - ends[i]) / (DrawingWidth - type * reaches[i]));
        var past = Math.Max(0, reaches.Select((r, i) => grown * r - ends[i]).DefaultIfEmpty(0).Max());
        return past == 0 ? new Fit(0, type) : new Fit(Math.Ceiling(1000 * past / (DrawingWidth + past)) / 10, Math.Ceiling(10 * grown) / 10);
    }

    /// <summary>
    /// How far a name reaches left of its bar, per unit of type: the slanted line of text back from its end, plus the lower
    /// corner of its height (centred on the end).
    /// </summary>
    private static double Reach(string label)
    {
        var angle = Rotation * Math.PI / 180;
        return Math.Min(label.Length, MaxCharacters) * CharacterWidth * Math.Cos(angle) + Math.Sin(angle);
    }
}
