using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HitlConsole.Features.Pipeline;

/// <summary>An unresolved <c>{{Name}}</c> in a reply: where it starts and how long it is, so an editor can highlight it.</summary>
public sealed record Placeholder(string Name, int Index, int Length);

/// <summary>
/// Finds and fills <c>{{placeholders}}</c>. Knowledge written by different people spells the same placeholder
/// differently (<c>{{ customer support phone number }}</c>, <c>{{Número de pedido}}</c>), so names are compared by
/// <see cref="Key"/>: lower-case, accents folded, whitespace collapsed.
/// </summary>
public static partial class Placeholders
{
    public static IReadOnlyList<Placeholder> Find(string? text) =>
        string.IsNullOrEmpty(text) ? []
        : Pattern().Matches(text).Select(m => new Placeholder(m.Groups[1].Value, m.Index, m.Length)).ToList();

    /// <summary>A piece of <see cref="Excerpt"/>: text, or a placeholder (with <see cref="Placeholder"/> set).</summary>
    public sealed record Piece(string Text, Placeholder? Placeholder = null);

    /// <summary>
    /// The placeholders of <paramref name="text"/> with <paramref name="context"/> characters around each, "…" where text is
    /// left out: enough to see where each one sits without repeating a long reply.
    /// </summary>
    public static IReadOnlyList<Piece> Excerpt(string text, int context = 40)
    {
        var found = Find(text);
        var pieces = new List<Piece>();
        var at = 0;
        for (var i = 0; i < found.Count; i++)
        {
            var m = found[i];
            var from = Math.Max(at, m.Index - context);
            if (from > at) pieces.Add(new("… "));
            if (m.Index > from) pieces.Add(new(text[from..m.Index]));
            pieces.Add(new(text.Substring(m.Index, m.Length), m));
            at = m.Index + m.Length;
            // Up to the next placeholder when it is near, otherwise a little context and a cut.
            var next = i + 1 < found.Count ? found[i + 1].Index : text.Length;
            var until = next - at <= 2 * context ? next : Math.Min(text.Length, at + context);
            if (until > at) pieces.Add(new(text[at..until]));
            at = until;
        }
        if (found.Count > 0 && at < text.Length) pieces.Add(new(" …"));
        return pieces;
    }

    public static bool Any(string? text) => !string.IsNullOrEmpty(text) && Pattern().IsMatch(text);

    /// <summary>Replaces every placeholder whose name has a non-empty value; the others stay for a person to resolve.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0 || !Any(text)) return text;
        var byKey = new Dictionary<string, string>();
        foreach (var (name, value) in values)
            if (!string.IsNullOrWhiteSpace(value)) byKey.TryAdd(Key(name), value.Trim());
        return Pattern().Replace(text, m => byKey.TryGetValue(Key(m.Groups[1].Value), out var value) ? value : m.Value);
    }

    /// <summary>One set of values from several sources; for a name both know, the first source wins.</summary>
    public static IReadOnlyDictionary<string, string> Merge(params IReadOnlyDictionary<string, string>[] sources)
    {
        var merged = new Dictionary<string, string>();
        foreach (var source in sources)
            foreach (var (name, value) in source)
                if (!string.IsNullOrWhiteSpace(value)) merged.TryAdd(Key(name), value);
        return merged;
    }

    /// <summary>
    /// The comparable form of a placeholder name: "  Número de   Pedido " → "numero de pedido". An underscore is a space, as
    /// people write the same name in code style too: <c>{{customer_name}}</c> is <c>{{Customer Name}}</c>.
    /// </summary>
    public static string Key(string name)
    {
        var folded = new StringBuilder(name.Length);
        foreach (var c in name.Replace('_', ' ').Trim().Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) folded.Append(char.ToLowerInvariant(c));
        return Whitespace().Replace(folded.ToString(), " ");
    }

    // A name is anything but braces, one line at most: "{{7*7}}" is a placeholder too (and must not reach a customer).
    [GeneratedRegex(@"\{\{\s*([^{}\r\n]+?)\s*\}\}")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
