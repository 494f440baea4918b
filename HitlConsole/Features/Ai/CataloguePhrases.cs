using System.Collections.Concurrent;
using HitlConsole.Infrastructure.Embeddings;

namespace HitlConsole.Features.Ai;

/// <summary>
/// Vectors of intent catalogue phrases, per phrase and process. The default catalogue's ~600 phrases ship precomputed
/// (Data/default-intents.vectors, written by `eval build-demo-data`): embedding them took 4.5 s of CPU at every start.
/// A workspace that edits its catalogue pays only for the phrases it added, in short batches sorted by length (one batch
/// of 600 pads every phrase to the longest and took 12 s).
/// </summary>
public static class CataloguePhrases
{
    private static readonly ConcurrentDictionary<string, float[]> Cache = new(StringComparer.Ordinal);
    private static readonly Lazy<bool> Shipped = new(LoadShipped);

    public static float[][] Vectors(ITextEmbedder embedder, IReadOnlyList<string> phrases)
    {
        // Shipped vectors are MiniLM's; another embedder (a test double) computes its own.
        var useShipped = embedder is MiniLmEmbedder && Shipped.Value;
        var cache = useShipped ? Cache : new ConcurrentDictionary<string, float[]>(StringComparer.Ordinal);
        var missing = phrases.Where(p => !cache.ContainsKey(p)).Distinct().OrderBy(p => p.Length).ToList();
        foreach (var chunk in missing.Chunk(32))
        {
            var vectors = embedder.Embed(chunk);
            for (var i = 0; i < chunk.Length; i++) cache[chunk[i]] = vectors[i];
        }
        if (useShipped && Cache.Count > 50_000) Cache.Clear(); // a workspace rewriting its catalogue all day must not grow it without end
        return phrases.Select(p => cache.TryGetValue(p, out var v) ? v : embedder.Embed([p])[0]).ToArray();
    }

    private static bool LoadShipped()
    {
        using var stream = typeof(CataloguePhrases).Assembly.GetManifestResourceStream("HitlConsole.Ai.default-intents.vectors");
        if (stream is null) return false;
        foreach (var (phrase, vector) in VectorCodec.ReadKeyedHalfFile(stream)) Cache[phrase] = vector;
        return true;
    }
}
