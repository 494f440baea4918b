using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HitlConsole.Features.Knowledge.Search;

/// <summary>
/// A quarter-size copy of the knowledge vectors (one signed byte per component and one scale per row) for the first pass
/// of a large scan. Reading the matrix is what a scan costs, so reading a quarter of it is most of the saving; the few
/// hundred best rows are then scored again on the exact vectors, so what a search returns does not change.
/// </summary>
public sealed class CoarseVectors
{
    /// <summary>The query's precision: its components as shorts up to this magnitude (row × query pairs stay far inside an int).</summary>
    private const float QueryRange = 1024f;

    private readonly sbyte[] _codes;
    private readonly float[] _scales;
    private readonly int _dims;

    public CoarseVectors(ReadOnlySpan<float> matrix, int dims)
    {
        _dims = dims;
        var rows = dims == 0 ? 0 : matrix.Length / dims;
        _codes = new sbyte[rows * dims];
        _scales = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = matrix.Slice(i * dims, dims);
            var max = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(row);
            var mag = MathF.Abs(max);
            if (mag == 0) continue;
            _scales[i] = mag / 127f;
            var codes = _codes.AsSpan(i * dims, dims);
            for (var j = 0; j < dims; j++) codes[j] = (sbyte)MathF.Round(row[j] / _scales[i]);
        }
    }

    /// <summary>The query in the form <see cref="Similarity"/> reads, and the factor that brings its products back to a cosine.</summary>
    public static (short[] Codes, float Scale) Query(ReadOnlySpan<float> query)
    {
        var mag = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(query));
        var codes = new short[query.Length];
        if (mag == 0) return (codes, 0);
        var scale = mag / QueryRange;
        for (var j = 0; j < query.Length; j++) codes[j] = (short)MathF.Round(query[j] / scale);
        return (codes, scale);
    }

    /// <summary>Approximately the cosine of row <paramref name="row"/> with the query (within about 0.01 for unit vectors).</summary>
    public float Similarity(int row, short[] query, float queryScale) =>
        Dot(_codes.AsSpan(row * _dims, _dims), query) * _scales[row] * queryScale;

    internal static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        var sum = 0;
        var j = 0;
        if (Avx2.IsSupported && row.Length >= 32)
        {
            var acc = Vector256<int>.Zero;
            ref var r = ref MemoryMarshal.GetReference(row);
            ref var q = ref MemoryMarshal.GetReference(query);
            for (; j <= row.Length - 32; j += 32)
            {
                var bytes = Vector256.LoadUnsafe(ref r, (nuint)j);
                var (low, high) = Vector256.Widen(bytes);
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(low, Vector256.LoadUnsafe(ref q, (nuint)j)));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(high, Vector256.LoadUnsafe(ref q, (nuint)(j + 16))));
            }
            sum = Vector256.Sum(acc);
        }
        for (; j < row.Length; j++) sum += row[j] * query[j];
        return sum;
    }
}
