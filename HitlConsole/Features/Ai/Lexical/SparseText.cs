using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai.Lexical;

/// <summary>A unit-length sparse TF-IDF vector over feature ids of one <see cref="SparseVocabulary"/>.</summary>
public readonly record struct SparseVector(int[] Ids, float[] Weights)
{
    public static readonly SparseVector Empty = new([], []);

    public double Dot(SparseVector other)
    {
        double sum = 0;
        int i = 0, j = 0;
        while (i < Ids.Length && j < other.Ids.Length)
        {
            var (a, b) = (Ids[i], other.Ids[j]);
            if (a == b) sum += Weights[i++] * other.Weights[j++];
            else if (a < b) i++;
            else j++;
        }
        return sum;
    }
}

/// <summary>
/// Two feature spaces of a text: content-word stems (and stem pairs) in the text's language, and character 3–5-grams of
/// the content words, which survive typos, missing accents and forms the stemmer does not join ("llego"/"llegó"/"llegue").
/// Each space is TF-IDF weighted over the documents it was built from and normalised on its own.
/// </summary>
public sealed class SparseVocabulary
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<float> _idf = [];
    private float _unseenIdf = 1;

    /// <summary>How many features the vocabulary knows (ids run from 0 to Count − 1).</summary>
    public int Count => _idf.Count;

    public bool Contains(string feature) => _ids.ContainsKey(feature);

    public static (List<string> Words, List<string> Grams) Features(string text, string language)
    {
        var stems = TextAnalysis.Stems(text, language);
        var words = new List<string>(stems.Count * 2);
        foreach (var s in stems) words.Add(s);
        for (var i = 0; i + 1 < stems.Count; i++) words.Add(stems[i] + "_" + stems[i + 1]);

        var grams = new List<string>();
        foreach (var w in TextAnalysis.Words(text))
        {
            if (TextAnalysis.IsStopWord(w, language) || w.Length < 2) continue;
            var padded = "<" + w + ">";
            for (var n = 3; n <= 5; n++)
                for (var i = 0; i + n <= padded.Length; i++) grams.Add(padded.Substring(i, n));
        }
        return (words, grams);
    }

    /// <summary>Document frequencies over <paramref name="documents"/> (already split into features).</summary>
    public static SparseVocabulary Build(IReadOnlyList<IReadOnlyList<string>> documents)
    {
        var vocabulary = new SparseVocabulary();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var doc in documents)
            foreach (var f in doc.Distinct()) df[f] = df.GetValueOrDefault(f) + 1;
        foreach (var (feature, count) in df.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            vocabulary._ids[feature] = vocabulary._idf.Count;
            vocabulary._idf.Add((float)(Math.Log((1.0 + documents.Count) / (1.0 + count)) + 1));
        }
        vocabulary._unseenIdf = (float)(Math.Log(1.0 + documents.Count) + 1);
        return vocabulary;
    }

    /// <summary>Sublinear TF × IDF, L2-normalised. Unknown features count in the norm (a text of unknown words is not close to anything).</summary>
    public SparseVector Vectorise(IReadOnlyList<string> features)
    {
        if (features.Count == 0) return SparseVector.Empty;
        var known = new SortedDictionary<int, float>();
        double norm = 0;
        foreach (var group in features.GroupBy(f => f, StringComparer.Ordinal))
        {
            var tf = 1 + Math.Log(group.Count());
            if (_ids.TryGetValue(group.Key, out var id))
            {
                var w = (float)(tf * _idf[id]);
                known[id] = w;
                norm += w * w;
            }
            else norm += tf * _unseenIdf * tf * _unseenIdf;
        }
        if (known.Count == 0 || norm == 0) return SparseVector.Empty;
        var scale = (float)(1 / Math.Sqrt(norm));
        return new SparseVector([.. known.Keys], [.. known.Values.Select(v => v * scale)]);
    }
}
