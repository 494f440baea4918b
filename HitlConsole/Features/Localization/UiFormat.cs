using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Localization;

/// <summary>
/// The one way the UI writes counts, numbers and percentages. A resource text may hold ICU MessageFormat plural blocks —
/// <c>{0, plural, one {# entrada} other {# entradas}}</c> — where <c>#</c> is the number; whole numbers are written with
/// the UI culture's group separator (3,580 · 3.580), so a count reads the same on every page.
/// </summary>
public static class UiFormat
{
    /// <summary>The text of <paramref name="key"/> with its plural blocks chosen and its arguments formatted.</summary>
    public static string Plural(this IStringLocalizer localizer, string key, params object[] arguments) =>
        Format(localizer[key].Value, CultureInfo.CurrentCulture, arguments);

    /// <summary>A word written for the middle of a sentence ("pendiente", "blocked") at the start of a label or a line.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Capital(string? text) =>
        string.IsNullOrEmpty(text) ? text : char.ToUpper(text[0], CultureInfo.CurrentCulture) + text[1..];

    /// <summary>At most <paramref name="max"/> characters for a line of a list or a chip, cut with an ellipsis; null reads as empty.</summary>
    public static string Shorten(string? text, int max) => text is null ? "" : text.Length <= max ? text : text[..(max - 3)] + "…";

    /// <summary>A whole number as the UI culture writes it.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>A share (0.8 → "80%", "80 %") as the UI culture writes it.</summary>
    public static string Percent(double fraction) => fraction.ToString("P0", CultureInfo.CurrentCulture);

    /// <summary>
    /// A duration a person reads at a glance, with its units: "45 s", "1 min", "1 min 30 s", "1 h 5 min" (seconds are
    /// dropped from an hour or more, where they no longer matter).
    /// </summary>
    public static string Duration(this IStringLocalizer localizer, double seconds)
    {
        var total = (long)Math.Round(Math.Max(0, seconds));
        var (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
        var parts = new List<string>();
        if (h > 0) parts.Add(localizer["DurationHours", Number(h)]);
        if (m > 0) parts.Add(localizer["DurationMinutes", Number(m)]);
        if (s > 0 && h == 0 || total == 0) parts.Add(localizer["DurationSeconds", Number(s)]);
        return string.Join(" ", parts);
    }

    public static string Format(string pattern, CultureInfo culture, params object[] arguments)
    {
        var text = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var block = pattern[i] == '{' ? PluralBlock(pattern, i) : null;
            if (block is null) { text.Append(pattern[i++]); continue; }
            var (index, branches, end) = block.Value;
            var value = Convert.ToDecimal(arguments[index], CultureInfo.InvariantCulture);
            var chosen = branches.GetValueOrDefault($"={value.ToString(CultureInfo.InvariantCulture)}")
                ?? (value == 1 && branches.TryGetValue("one", out var one) ? one : branches["other"]);
            text.Append(chosen.Replace("#", FormatNumber(arguments[index], culture)));
            i = end;
        }
        var numbers = arguments.Select(a => a is int or long or short ? FormatNumber(a, culture) : a).ToArray();
        // Braces that are not placeholders ("{{name}}" in a hint) are kept as written.
        return numbers.Length == 0 ? text.ToString() : string.Format(culture, text.ToString(), numbers);
    }

    private static string FormatNumber(object value, CultureInfo culture) => value switch
    {
        int or long or short => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", culture),
        IFormattable f => f.ToString(null, culture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Parses "{N, plural, one {…} other {…}}" starting at <paramref name="start"/>; null when it is something else.</summary>
    private static (int Index, Dictionary<string, string> Branches, int End)? PluralBlock(string pattern, int start)
    {
        var comma = pattern.IndexOf(',', start);
        if (comma < 0 || !int.TryParse(pattern.AsSpan(start + 1, comma - start - 1).Trim(), out var index)) return null;
        var rest = pattern.AsSpan(comma + 1).TrimStart();
        if (!rest.StartsWith("plural,", StringComparison.Ordinal)) return null;
        var i = pattern.IndexOf("plural,", comma, StringComparison.Ordinal) + "plural,".Length;
        var branches = new Dictionary<string, string>(StringComparer.Ordinal);
        while (i < pattern.Length)
        {
            while (i < pattern.Length && char.IsWhiteSpace(pattern[i])) i++;
            if (i < pattern.Length && pattern[i] == '}') return branches.ContainsKey("other") ? (index, branches, i + 1) : null;
            var open = pattern.IndexOf('{', i);
            if (open < 0) return null;
            var selector = pattern[i..open].Trim();
            var depth = 0;
            var close = open;
            for (; close < pattern.Length; close++)
            {
                if (pattern[close] == '{') depth++;
                else if (pattern[close] == '}' && --depth == 0) break;
            }
            if (close >= pattern.Length) return null;
            branches[selector] = pattern[(open + 1)..close];
            i = close + 1;
        }
        return null;
    }
}
