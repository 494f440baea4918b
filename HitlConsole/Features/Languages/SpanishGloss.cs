namespace HitlConsole.Features.Languages;

/// <summary>
/// A word-by-word English reading of a Spanish customer message ("me cobraron dos veces" → "me charged two times"),
/// from a customer-support glossary of ~1,900 words (Data/glossary-es-en.tsv). It is not a translation: it lets the
/// English sentence model (MiniLM) and the English catalogue examples read Spanish text, which they otherwise place
/// poorly (docs/quality.md). Unknown inflections fall back to a glossary word with the same Spanish stem.
/// </summary>
public sealed class SpanishGloss
{
    public static SpanishGloss Default { get; } = Load();

    private readonly Dictionary<string, string> _words = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _stems = new(StringComparer.Ordinal);

    private static SpanishGloss Load()
    {
        using var stream = typeof(SpanishGloss).Assembly.GetManifestResourceStream("HitlConsole.Languages.glossary-es-en.tsv")
            ?? throw new InvalidOperationException("The Spanish glossary is missing from the build.");
        using var reader = new StreamReader(stream);
        var gloss = new SpanishGloss();
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t');
            if (tab <= 0) continue;
            var spanish = TextAnalysis.Fold(line[..tab]);
            var english = line[(tab + 1)..].Trim();
            if (spanish.Length == 0 || english.Length == 0) continue;
            gloss._words.TryAdd(spanish, english);
            gloss._stems.TryAdd(TextAnalysis.Stem(spanish, "es"), english);
        }
        return gloss;
    }

    public int Count => _words.Count;

    /// <summary>Whether a folded word is one the glossary knows, as written or by its Spanish stem: a real word, not a typo.</summary>
    public bool Knows(string word) => _words.ContainsKey(word) || (word.Length >= 4 && _stems.ContainsKey(TextAnalysis.Stem(word, "es")));

    /// <summary>The English reading; words the glossary does not know stay as they are (names, numbers, cognates).</summary>
    public string Gloss(string text)
    {
        var words = TextAnalysis.Words(text);
        var result = new List<string>(words.Count);
        foreach (var w in words)
        {
            if (_words.TryGetValue(w, out var english) || (w.Length >= 4 && _stems.TryGetValue(TextAnalysis.Stem(w, "es"), out english)))
                result.Add(english);
            else
                result.Add(w);
        }
        return string.Join(' ', result);
    }
}
