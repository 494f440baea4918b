using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Es;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Tartarus.Snowball;
using Lucene.Net.Tartarus.Snowball.Ext;

namespace HitlConsole.Features.Languages;

/// <summary>
/// Word-level analysis shared by the lexical intent model, the guardrail and knowledge search: lower case, accents
/// folded, chat shorthand expanded, stop words of the text's language removed, Snowball stems. Accents are folded
/// before stemming so "facturación" and "facturacion" (customers often skip accents) end as the same stem.
/// </summary>
public static class TextAnalysis
{
    private static readonly HashSet<string> SpanishStops = Folded(SpanishAnalyzer.DefaultStopSet);
    private static readonly HashSet<string> EnglishStops = Folded(EnglishAnalyzer.DefaultStopSet)
        .Concat(["i", "me", "my", "im", "ive", "id", "you", "your", "we", "our", "us", "can", "could", "would", "do", "does", "did", "have",
            "has", "had", "am", "what", "how", "which", "who", "get", "got", "pls", "please", "want", "need", "hi", "hello"]).ToHashSet();

    /// <summary>Words that carry nothing for retrieval in Spanish chat beyond the Snowball list ("porfa", "hola", "quiero").</summary>
    private static readonly string[] SpanishChatStops =
        ["porfa", "favor", "hola", "buenas", "quiero", "quisiera", "necesito", "puedo", "puedes", "pueden", "podes", "podrian", "podria",
         "saber", "ayuda", "ayudar", "ayudame", "gracias", "oye", "che", "q", "xq", "pq", "xfa", "x", "tb", "pls", "vale", "bueno", "usted", "ustedes", "vos"];

    /// <summary>Chat shorthand as the full word, so "xq no llega" analyses like "porque no llega".</summary>
    private static readonly Dictionary<string, string> Shorthand = new(StringComparer.Ordinal)
    {
        ["xq"] = "porque", ["pq"] = "porque", ["porq"] = "porque", ["q"] = "que", ["k"] = "que", ["tb"] = "tambien", ["tmb"] = "tambien",
        ["xfa"] = "favor", ["porfa"] = "favor", ["d"] = "de", ["dnd"] = "donde", ["toy"] = "estoy", ["pls"] = "please", ["plz"] = "please",
        ["u"] = "you", ["ur"] = "your", ["r"] = "are", ["thx"] = "thanks", ["acc"] = "account", ["pwd"] = "password", ["pw"] = "password",
    };

    static TextAnalysis()
    {
        foreach (var w in SpanishChatStops) SpanishStops.Add(w);
    }

    private static HashSet<string> Folded(CharArraySet set) =>
        set.Select(Fold).Where(w => w.Length > 0).ToHashSet(StringComparer.Ordinal);

    /// <summary>Lower case, accents removed, anything that is not a letter or digit turned into a single space.</summary>
    public static string Fold(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(normalized.Length);
        var space = true;
        foreach (var ch in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
                space = false;
            }
            else if (!space)
            {
                sb.Append(' ');
                space = true;
            }
        }
        return sb.ToString().TrimEnd();
    }

    /// <summary>Folded words with chat shorthand expanded and letters repeated three times or more cut to one ("holaaa").</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var raw in Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var w = CollapseRepeats(raw);
            words.Add(Shorthand.GetValueOrDefault(w) ?? w);
        }
        return words;
    }

    public static bool IsStopWord(string foldedWord, string language) =>
        (language == "es" ? SpanishStops : EnglishStops).Contains(foldedWord);

    /// <summary>The content words' stems: stop words of the language out, Snowball stems of what is left.</summary>
    public static List<string> Stems(string text, string language)
    {
        var stems = new List<string>();
        foreach (var w in Words(text))
        {
            if (IsStopWord(w, language)) continue;
            stems.Add(Stem(w, language));
        }
        return stems;
    }

    public static string Stem(string word, string language)
    {
        if (word.Length < 4 || word.Any(char.IsDigit)) return word;
        var cache = language == "es" ? SpanishStemCache : EnglishStemCache;
        if (cache.TryGetValue(word, out var stem)) return stem;
        var stemmer = Stemmer(language);
        stemmer.SetCurrent(word);
        stemmer.Stem();
        stem = stemmer.Current;
        // Counts only words added, so the count never wraps however many words pass the cap.
        if (Volatile.Read(ref _stemsCached) < StemCacheLimit && cache.TryAdd(word, stem)) Interlocked.Increment(ref _stemsCached);
        return stem;
    }

    // A knowledge index build stems the same few thousand words tens of thousands of times, and every search and draft
    // stems them again: a lookup costs a fraction of Snowball. Capped, so unusual input (random tokens, hostile text)
    // cannot grow it without end; past the cap words are simply stemmed each time.
    private const int StemCacheLimit = 100_000;
    private static readonly ConcurrentDictionary<string, string> SpanishStemCache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> EnglishStemCache = new(StringComparer.Ordinal);
    private static int _stemsCached;

    // Snowball stemmers keep state between calls: one per thread.
    [ThreadStatic] private static SpanishStemmer? _spanish;
    [ThreadStatic] private static EnglishStemmer? _english;

    private static SnowballProgram Stemmer(string language) =>
        language == "es" ? _spanish ??= new SpanishStemmer() : _english ??= new EnglishStemmer();

    /// <summary>
    /// Laughter written out, as one word per language: "jajaja", "jejeje", "jsjsjs" → "jaja" (Spanish), "hahaha", "hehe",
    /// "lol", "lmao" → "haha"; null for any other word.
    /// </summary>
    public static string? Laughter(string foldedWord) => foldedWord switch
    {
        "lol" or "lool" or "lmao" or "lmfao" or "rofl" => "haha",
        "xd" or "xdd" or "xddd" => "jaja",
        _ when foldedWord.Length >= 4 && IsRepeatedPair(foldedWord, 'j') => "jaja",
        _ when foldedWord.Length >= 4 && IsRepeatedPair(foldedWord, 'h') => "haha",
        _ => null,
    };

    // "jajaja", "jajaj", "jsjsjs": the first letter, then a vowel or 's', over and over.
    private static bool IsRepeatedPair(string word, char first)
    {
        for (var i = 0; i < word.Length; i++)
        {
            var expected = i % 2 == 0 ? word[i] == first : word[i] is 'a' or 'e' or 'i' or 'o' or 's';
            if (!expected) return false;
        }
        return true;
    }

    /// <summary>A word stretched by one letter at its end ("holaa", "graciass", "okk") without it; others as they are.</summary>
    public static string TrimStretchedEnd(string word) =>
        word.Length >= 3 && word[^1] == word[^2] && char.IsLetter(word[^1]) ? word[..^1] : word;

    public static string CollapseRepeats(string word)
    {
        if (!HasRunOfThree(word)) return word;
        var sb = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var run = 1;
            while (i + run < word.Length && word[i + run] == word[i]) run++;
            sb.Append(word[i], run >= 3 ? 1 : run);
            i += run - 1;
        }
        return sb.ToString();
    }

    private static bool HasRunOfThree(string word)
    {
        for (var i = 2; i < word.Length; i++)
            if (word[i] == word[i - 1] && word[i] == word[i - 2]) return true;
        return false;
    }
}
