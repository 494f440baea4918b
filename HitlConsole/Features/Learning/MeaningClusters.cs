using HitlConsole.Features.Languages;
using HitlConsole.Infrastructure.Embeddings;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Learning;

/// <summary>
/// Groups texts that mean the same, per language: each text joins the cluster it is most like, if at least
/// <see cref="LearningOptions.ClusterSimilarity"/>, or starts a new one. "Like" is the cosine to the cluster's mean meaning
/// plus <see cref="WordWeight"/> times the content words it shares with the cluster's texts (stemmed, stop words out; the
/// mean Jaccard overlap): MiniLM alone rated "pick up at your warehouse" and "collection from your warehouse" 0.67 apart,
/// and any two Spanish paraphrases, read through their English gloss, lower still (docs/quality.md, "Knowledge gaps
/// grouped"). Texts that read the same once lower-cased and stripped of punctuation always share a cluster.
/// </summary>
public sealed class MeaningClusters(ITextEmbedder embedder, IOptions<LearningOptions> options)
{
    public sealed record Item<T>(T Value, string Text, string Language);

    /// <summary>What sharing every content word adds to the cosine (measured on paraphrase sets in both languages).</summary>
    public const float WordWeight = 0.7f;

    private sealed class Cluster<T>(float[] vector, string key, string[] words, T first)
    {
        public readonly float[] Sum = (float[])vector.Clone();
        public readonly string Key = key;
        public readonly List<string[]> Words = [words];
        public readonly List<T> Members = [first];
        public float Norm = 1f;
    }

    /// <summary>Clusters, biggest first; within a cluster the items keep their input order.</summary>
    public IReadOnlyList<IReadOnlyList<T>> Group<T>(IReadOnlyList<Item<T>> items, CancellationToken ct)
    {
        var threshold = (float)options.Value.ClusterSimilarity;
        var result = new List<IReadOnlyList<T>>();
        foreach (var language in items.GroupBy(i => i.Language))
        {
            var list = language.ToList();
            var texts = list.Select(i => language.Key == "es" ? SpanishGloss.Default.Gloss(i.Text) : i.Text).ToList();
            var vectors = Vectors(texts, ct);
            var clusters = new List<Cluster<T>>();
            for (var i = 0; i < list.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var key = Normalise(list[i].Text);
                var words = TextAnalysis.Stems(list[i].Text, language.Key).Distinct().Order(StringComparer.Ordinal).ToArray();
                var home = clusters.FindIndex(c => c.Key == key);
                if (home < 0)
                {
                    var best = (Index: -1, Score: 0f);
                    for (var c = 0; c < clusters.Count; c++)
                    {
                        var score = VectorCodec.Dot(clusters[c].Sum, vectors[i]) / clusters[c].Norm + WordWeight * MeanOverlap(words, clusters[c].Words);
                        if (score > best.Score) best = (c, score);
                    }
                    if (best.Index >= 0 && best.Score >= threshold) home = best.Index;
                }
                if (home < 0)
                {
                    clusters.Add(new Cluster<T>(vectors[i], key, words, list[i].Value));
                    continue;
                }
                var joined = clusters[home];
                for (var d = 0; d < joined.Sum.Length; d++) joined.Sum[d] += vectors[i][d];
                joined.Norm = MathF.Sqrt(VectorCodec.Dot(joined.Sum, joined.Sum));
                joined.Words.Add(words);
                joined.Members.Add(list[i].Value);
            }
            result.AddRange(clusters.Select(c => (IReadOnlyList<T>)c.Members));
        }
        return result.OrderByDescending(c => c.Count).ToList();
    }

    /// <summary>The mean Jaccard overlap of one text's sorted content words with each text of a cluster.</summary>
    private static float MeanOverlap(string[] words, List<string[]> cluster)
    {
        var total = 0f;
        foreach (var other in cluster)
        {
            int i = 0, j = 0, shared = 0;
            while (i < words.Length && j < other.Length)
            {
                var order = string.CompareOrdinal(words[i], other[j]);
                if (order == 0) { shared++; i++; j++; }
                else if (order < 0) i++;
                else j++;
            }
            var union = words.Length + other.Length - shared;
            if (union > 0) total += shared / (float)union;
        }
        return total / cluster.Count;
    }

    /// <summary>Texts seen before (the same queue read again) are not embedded again; the memory is bounded.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _seen = new(StringComparer.Ordinal);
    private const int MaxRemembered = 20_000;

    private float[][] Vectors(IReadOnlyList<string> texts, CancellationToken ct)
    {
        var missing = texts.Where(t => !_seen.ContainsKey(t)).Distinct().ToList();
        if (missing.Count > 0)
        {
            if (_seen.Count + missing.Count > MaxRemembered) _seen.Clear();
            var fresh = embedder.Embed(missing, ct);
            for (var i = 0; i < missing.Count; i++) _seen[missing[i]] = fresh[i];
        }
        return texts.Select(t => _seen.TryGetValue(t, out var v) ? v : embedder.Embed([t], ct)[0]).ToArray();
    }

    private static string Normalise(string text) =>
        string.Join(' ', new string(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
