using System.Runtime.InteropServices;

namespace HitlConsole.Infrastructure.Embeddings;

/// <summary>Vectors are stored as little-endian float32 blobs: compact, provider-neutral and cheap to load.</summary>
public static class VectorCodec
{
    public static byte[] ToBytes(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static void CopyTo(byte[] blob, Span<float> destination) => MemoryMarshal.Cast<byte, float>(blob).CopyTo(destination);

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    /// <summary>Reads the demo's precomputed vectors: a count, a dimension, then half-precision values.</summary>
    public static List<float[]> ReadHalfFile(Stream stream)
    {
        using var reader = new BinaryReader(stream);
        int count = reader.ReadInt32(), dims = reader.ReadInt32();
        var vectors = new List<float[]>(count);
        for (var i = 0; i < count; i++) vectors.Add(ReadHalves(reader, dims));
        return vectors;
    }

    /// <summary>
    /// Reads precomputed vectors keyed by their text (the catalogue's phrases, the guardrail's examples): a count, a dimension,
    /// then for each a length-prefixed string and half-precision values.
    /// </summary>
    public static IEnumerable<(string Text, float[] Vector)> ReadKeyedHalfFile(Stream stream)
    {
        using var reader = new BinaryReader(stream);
        int count = reader.ReadInt32(), dims = reader.ReadInt32();
        for (var i = 0; i < count; i++) yield return (reader.ReadString(), ReadHalves(reader, dims));
    }

    private static float[] ReadHalves(BinaryReader reader, int dims)
    {
        var v = new float[dims];
        for (var d = 0; d < dims; d++) v[d] = (float)reader.ReadHalf();
        return v;
    }
}
