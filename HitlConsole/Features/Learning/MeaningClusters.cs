using HitlConsole.Features.Languages;
using HitlConsole.Infrastructure.Embeddings;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Learning;

/// <summary>
/// Groups texts that mean the same, per language: each text joins the first cluster whose first text is at least
/// <see cref="LearningOptions.ClusterSimilarity"/> similar, or starts a new one. Spanish texts are compared through their
/// English gloss, since the sentence model rates any two Spanish texts close. Texts that read the same once lower-cased
/// and stripped of punctuation always share a cluster.
/// </summary>
public sealed class MeaningClusters(ITextEmbedder embedder, IOptions<LearningOptions> options)
{
    public sealed record Item<T>(T Value, string Text, string Language);

    /// <summary>Clusters, biggest first; within a cluster the items keep their input order.</summary>
    public IReadOnlyList<IReadOnlyList<T>> Group<T>(IReadOnlyList<Item<T>> items, CancellationToken ct)
    {
        var result = new List<IReadOnlyList<T>>();
        foreach (var language in items.GroupBy(i => i.Language))
        {
            var list = language.ToList();
            var texts = list.Select(i => language.Key == "es" ? SpanishGloss.Default.Gloss(i.Text) : i.Text).ToList();
            var vectors = Vectors(texts, ct);
            var heads = new List<(float[] Vector, string Key, List<T> Members)>();
            for (var i = 0; i < list.Count; i++)
            {
                var key = Normalise(list[i].Text);
                var home = heads.FindIndex(h => h.Key == key);
                if (home < 0)
                {
                    var best = (Index: -1, Similarity: 0f);
                    for (var h = 0; h < heads.Count; h++)
                    {
                        var similarity = VectorCodec.Dot(heads[h].Vector, vectors[i]);
                        if (similarity > best.Similarity) best = (h, similarity);
                    }
                    if (best.Index >= 0 && best.Similarity >= options.Value.ClusterSimilarity) home = best.Index;
                }
                if (home < 0) heads.Add((vectors[i], key, [list[i].Value]));
                else heads[home].Members.Add(list[i].Value);
            }
            result.AddRange(heads.Select(h => (IReadOnlyList<T>)h.Members));
        }
        return result.OrderByDescending(c => c.Count).ToList();
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
