using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Localization;

/// <summary>
/// What a page shows a person, and the ways it can fail to be Spanish: an English text of the UI's own resources
/// (or one of MudBlazor's built-in English texts), a raw <c>{placeholder}</c> or <c>{first_item}</c> token, a raw
/// resource key, or a code name (an enum member such as <c>WhatsAppCloud</c>, a policy code such as
/// <c>below-auto-send-threshold</c>, a field path such as <c>identity.assistantName</c>).
/// </summary>
public static partial class UiText
{
    public sealed record Finding(string Where, string Kind, string Text);

    private static readonly Lazy<Checker> Shared = new(() => new Checker());

    /// <summary>The visible text nodes and the accessible labels of a rendered page or fragment.</summary>
    public static IReadOnlyList<(string Where, string Text)> Read(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var hidden in document.QuerySelectorAll("script, style, template, noscript").ToList()) hidden.Remove();
        // Text marked as another language on purpose ("English" in the language menu) is not a translation gap.
        foreach (var other in document.QuerySelectorAll("body [lang]").Where(e => !e.GetAttribute("lang")!.StartsWith("es", StringComparison.Ordinal)).ToList()) other.Remove();
        var items = new List<(string, string)>();
        foreach (var element in document.All)
        {
            foreach (var attribute in new[] { "aria-label", "title", "placeholder", "alt" })
                if (element.GetAttribute(attribute) is { Length: > 0 } value) items.Add(($"{element.LocalName}[{attribute}]", Normalise(value)));
            foreach (var text in element.ChildNodes.OfType<IText>())
                if (Normalise(text.Data) is { Length: > 0 } value) items.Add((element.LocalName, value));
        }
        return items;
    }

    private static string Normalise(string text) => Whitespace().Replace(text, " ").Trim();

    /// <summary>Everything on a page rendered in Spanish that is not Spanish.</summary>
    public static IReadOnlyList<Finding> Check(string where, string html) =>
        Read(html).SelectMany(item => Shared.Value.Check(item.Text).Select(kind => new Finding($"{where} {item.Where}", kind, item.Text))).Distinct().ToList();

    public static string Describe(IEnumerable<Finding> findings) =>
        string.Join("\n", findings.GroupBy(f => (f.Kind, f.Text)).Select(g => $"{g.Key.Kind}: \"{g.Key.Text}\" on {string.Join(", ", g.Select(f => f.Where).Distinct().Take(3))}"));

    private sealed class Checker
    {
        private readonly List<(Regex Pattern, string Source)> _english = [];
        private readonly HashSet<string> _keys;
        private readonly HashSet<string> _spanish;
        private readonly HashSet<string> _codeNames;

        public Checker()
        {
            var en = ReadResx("SharedResource.resx");
            var es = ReadResx("SharedResource.es.resx");
            _spanish = es.Values.Select(Normalise).ToHashSet(StringComparer.Ordinal);
            // Keys a page could show by mistake (the localizer answers the key when it has no text for it).
            _keys = en.Keys.Where(k => k.Length > 3 && !_spanish.Contains(k)).ToHashSet(StringComparer.Ordinal);
            var english = en.Where(kv => es.TryGetValue(kv.Key, out var s) && Normalise(s) != Normalise(kv.Value)).Select(kv => kv.Value)
                .Concat(MudBlazorEnglish());
            foreach (var text in english.Select(Normalise).Distinct())
            {
                if (_spanish.Contains(text) || !Letters().IsMatch(text)) continue; // "OK", "Email", "{0}"…: the same in both languages
                var fixedPart = Placeholder().Replace(text, "");
                if (fixedPart.Count(char.IsLetter) < 3) continue;
                var pattern = "^" + string.Join(".+?", Placeholder().Split(text).Select(Regex.Escape)) + "$";
                _english.Add((new Regex(pattern, RegexOptions.CultureInvariant), text));
                // Longer sentences also count when they are part of a larger text.
                if (fixedPart.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 4 && !text.Contains('{'))
                    _english.Add((new Regex(Regex.Escape(text), RegexOptions.CultureInvariant), text));
            }
            _codeNames = typeof(Program).Assembly.GetTypes().Where(t => t.IsEnum && t.Namespace?.StartsWith("HitlConsole.Domain", StringComparison.Ordinal) == true)
                .SelectMany(Enum.GetNames).Where(n => Humps().Matches(n).Count >= 2).ToHashSet(StringComparer.Ordinal);
        }

        public IEnumerable<string> Check(string text)
        {
            if (RawToken().IsMatch(text)) yield return "raw placeholder";
            if (_keys.Contains(text)) yield return "resource key";
            if (_codeNames.Contains(text)) yield return "code name";
            if (KebabCode().IsMatch(text) || (FieldPath().IsMatch(text) && (text.Any(char.IsUpper) || text.Contains('[')))) yield return "code";
            if (_spanish.Contains(text)) yield break;
            if (_english.FirstOrDefault(e => e.Pattern.IsMatch(text)) is { Source: not null } hit) yield return $"English ({hit.Source})";
        }
    }

    private static Dictionary<string, string> ReadResx(string file) =>
        XDocument.Load(Repo.PathOf("Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    /// <summary>MudBlazor's built-in English texts (what it shows when the app gives it no translation).</summary>
    public static IEnumerable<string> MudBlazorEnglish()
    {
        var manager = new ResourceManager("MudBlazor.Resources.LanguageResource", typeof(MudBlazor.MudButton).Assembly);
        var set = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        foreach (System.Collections.DictionaryEntry entry in set)
            if (entry.Value is string text) yield return text;
    }

    public static IReadOnlyDictionary<string, string> MudBlazorEnglishByKey()
    {
        var manager = new ResourceManager("MudBlazor.Resources.LanguageResource", typeof(MudBlazor.MudButton).Assembly);
        var set = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        return set.Cast<System.Collections.DictionaryEntry>().Where(e => e.Value is string).ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    [GeneratedRegex(@"\s+")] private static partial Regex Whitespace();
    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")] private static partial Regex Placeholder();
    [GeneratedRegex(@"\p{L}")] private static partial Regex Letters();
    // {0}, {first_item}, {all_items}: a format the code forgot to fill. {{name}} is the product's own placeholder syntax.
    [GeneratedRegex(@"(?<!\{)\{(\d+|[a-z]+(_[a-z]+)*)(:[^}]*)?\}(?!\})")] private static partial Regex RawToken();
    [GeneratedRegex("[A-Z][a-z]+")] private static partial Regex Humps();
    // below-auto-send-threshold, intent-policy: codes the UI should name in words.
    [GeneratedRegex(@"^[a-z]+(-[a-z]+)+$")] private static partial Regex KebabCode();
    // identity.assistantName: a field path the UI should name in words.
    [GeneratedRegex(@"^[a-z]+(\[\d+\])?(\.[a-z][a-zA-Z]*(\[\d+\])?)+$")] private static partial Regex FieldPath();
}
