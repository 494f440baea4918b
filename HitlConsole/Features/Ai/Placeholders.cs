using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HitlConsole.Features.Ai;

/// <summary>An unresolved <c>{{Name}}</c> in a reply: where it starts and how long it is, so an editor can highlight it.</summary>
public sealed record Placeholder(string Name, int Index, int Length);

/// <summary>
/// Finds and fills <c>{{placeholders}}</c>. Knowledge written by different people spells the same placeholder
/// differently (<c>{{ customer support phone number }}</c>, <c>{{Número de pedido}}</c>), so names are compared by
/// <see cref="Key"/>: lower-case, accents folded, whitespace collapsed. Imported answers also carry template labels in
/// brackets (<c>[Customer Support Phone Number]</c>): two or more capitalised words in square brackets are the same
/// placeholder, filled when the workspace knows the name and otherwise held for a person like any other.
/// </summary>
public static partial class Placeholders
{
    public static IReadOnlyList<Placeholder> Find(string? text) =>
        string.IsNullOrEmpty(text) ? []
        : Pattern().Matches(text).Select(m => new Placeholder(m.Groups[NameGroup].Value, m.Index, m.Length)).ToList();

    /// <summary>A piece of <see cref="Excerpt"/>: text, or a placeholder (with <see cref="Placeholder"/> set).</summary>
    public sealed record Piece(string Text, Placeholder? Placeholder = null);

    /// <summary>
    /// The placeholders of <paramref name="text"/>, each with up to <paramref name="words"/> whole words either side and "…"
    /// where text is left out: enough to see where each one sits without repeating a long reply, and never a word cut in
    /// half. Placeholders whose neighbourhoods touch share one stretch of text. <paramref name="include"/> picks the
    /// placeholders to show (those still to resolve); positions stay those of <paramref name="text"/>.
    /// </summary>
    public static IReadOnlyList<Piece> Excerpt(string text, int words = 6, Func<Placeholder, bool>? include = null)
    {
        var found = Find(text).Where(include ?? (_ => true)).ToList();
        // One window of whole words around each placeholder, merged with the previous one when they meet.
        var windows = new List<(int Start, int End, List<Placeholder> Inside)>();
        foreach (var m in found)
        {
            var (start, end) = (WordsBefore(text, m.Index, words), WordsAfter(text, m.Index + m.Length, words));
            if (windows.Count > 0 && start <= windows[^1].End)
                windows[^1] = (windows[^1].Start, Math.Max(end, windows[^1].End), [.. windows[^1].Inside, m]);
            else
                windows.Add((start, end, [m]));
        }
        var pieces = new List<Piece>();
        foreach (var (start, end, inside) in windows)
        {
            if (start > 0) pieces.Add(new(pieces.Count == 0 ? "… " : " … "));
            var at = start;
            foreach (var m in inside)
            {
                if (m.Index > at) pieces.Add(new(text[at..m.Index]));
                pieces.Add(new(text.Substring(m.Index, m.Length), m));
                at = m.Index + m.Length;
            }
            if (end > at) pieces.Add(new(text[at..end]));
        }
        if (windows.Count > 0 && windows[^1].End < text.Length) pieces.Add(new(" …"));
        return pieces;
    }

    /// <summary>Where the <paramref name="count"/>-th word before <paramref name="index"/> starts (the text's start if there are fewer).</summary>
    private static int WordsBefore(string text, int index, int count)
    {
        var i = index;
        while (i > 0 && !char.IsWhiteSpace(text[i - 1])) i--; // what the placeholder is glued to ("(" in "({{Phone}}") is not a word of its own
        for (var n = 0; n < count && i > 0; n++)
        {
            while (i > 0 && char.IsWhiteSpace(text[i - 1])) i--;
            while (i > 0 && !char.IsWhiteSpace(text[i - 1])) i--;
        }
        return i;
    }

    /// <summary>Where the <paramref name="count"/>-th word after <paramref name="index"/> ends (the text's end if there are fewer).</summary>
    private static int WordsAfter(string text, int index, int count)
    {
        var i = index;
        while (i < text.Length && !char.IsWhiteSpace(text[i])) i++; // "," in "{{Name}}," belongs to the placeholder's word
        for (var n = 0; n < count && i < text.Length; n++)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
        }
        return i;
    }

    /// <summary>The placeholders of <paramref name="text"/> that <paramref name="values"/> cannot fill (all of them without values).</summary>
    public static IReadOnlyList<Placeholder> Unresolved(string? text, IReadOnlyDictionary<string, string>? values)
    {
        var found = Find(text);
        if (values is null || values.Count == 0 || found.Count == 0) return found;
        var known = values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).Select(v => Key(v.Key)).ToHashSet();
        return found.Where(p => !known.Contains(Key(p.Name))).ToList();
    }

    public static bool Any(string? text) => !string.IsNullOrEmpty(text) && Pattern().IsMatch(text);

    /// <summary>Replaces every placeholder whose name has a non-empty value; the others stay for a person to resolve.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0 || !Any(text)) return text;
        var byKey = new Dictionary<string, string>();
        foreach (var (name, value) in values)
            if (!string.IsNullOrWhiteSpace(value)) byKey.TryAdd(Key(name), value.Trim());
        return Pattern().Replace(text, m => byKey.TryGetValue(Key(m.Groups[NameGroup].Value), out var value) ? value : m.Value);
    }

    /// <summary>Every placeholder in the <c>{{Name}}</c> form: a bracketed label ("[Order Number]") as "{{Order Number}}".</summary>
    public static string InBraces(string text) =>
        Pattern().Replace(text, m => m.Value[0] == '[' ? "{{" + m.Groups[NameGroup].Value + "}}" : m.Value);

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

    private const string NameGroup = "name";

    // A name in braces is anything but braces, one line at most: "{{7*7}}" is a placeholder too (and must not reach a customer).
    // A label in brackets needs two capitalised words ("[Order Number]", "[Customer Support Phone Number]"), so "[1]", "[sic]" or "[Note]"
    // in a person's own text stay text.
    [GeneratedRegex(@"\{\{\s*(?<name>[^{}\r\n]+?)\s*\}\}|\[(?<name>\p{Lu}\p{L}*(?:[ _]\p{Lu}\p{L}*)+)\]")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
