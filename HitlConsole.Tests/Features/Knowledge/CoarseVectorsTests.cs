using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Infrastructure.Embeddings;

namespace HitlConsole.Tests.Features.Knowledge;

/// <summary>
/// A large workspace's scan reads a byte per component first and scores its best rows again exactly: the neighbours and
/// their similarities must be those of the exact scan.
/// </summary>
public sealed class CoarseVectorsTests
{
    private const int Dims = 384;

    /// <summary>
    /// Unit vectors in topics, as knowledge is (many rows about the same few things, with near-duplicates that differ in
    /// the third decimal of their similarity), plus rows unrelated to anything.
    /// </summary>
    private static float[] Knowledge(int rows, Random random)
    {
        var topics = Enumerable.Range(0, 40).Select(_ => Unit(random, Gaussian(random, Dims))).ToArray();
        var matrix = new float[rows * Dims];
        for (var i = 0; i < rows; i++)
        {
            var noise = Gaussian(random, Dims);
            var topic = topics[random.Next(topics.Length)];
            var spread = i % 10 == 0 ? 100f : (float)(0.2 + random.NextDouble() * 0.6);
            var row = new float[Dims];
            for (var j = 0; j < Dims; j++) row[j] = topic[j] + spread * noise[j] / MathF.Sqrt(Dims);
            Unit(random, row).CopyTo(matrix.AsSpan(i * Dims, Dims));
        }
        return matrix;
    }

    private static float[] Gaussian(Random random, int n) =>
        Enumerable.Range(0, n).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    private static float[] Unit(Random random, float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    [Fact]
    public void A_large_workspace_returns_the_exact_neighbours_and_similarities()
    {
        var random = new Random(20261202);
        var rows = KnowledgeIndex.Snapshot.CoarseFrom + 3_000;
        var matrix = Knowledge(rows, random);
        var ids = Enumerable.Range(0, rows).Select(_ => Guid.NewGuid()).ToArray();
        var snapshot = new KnowledgeIndex.Snapshot(default, Dims, ids, new string?[rows], Enumerable.Repeat("en", rows).ToArray(), matrix);

        // Questions near existing rows (a customer asking what the knowledge answers) and questions about nothing in particular.
        var queries = Enumerable.Range(0, 150).Select(i =>
        {
            if (i % 3 == 2) return Unit(random, Gaussian(random, Dims));
            var near = matrix.AsSpan(random.Next(rows) * Dims, Dims).ToArray();
            var noise = Gaussian(random, Dims);
            return Unit(random, near.Select((x, j) => x + 0.5f * noise[j] / MathF.Sqrt(Dims)).ToArray());
        }).ToList();

        foreach (var k in new[] { 5, 20 })
        {
            var found = snapshot.NearestEach(queries, k);
            for (var q = 0; q < queries.Count; q++)
            {
                var exact = Enumerable.Range(0, rows).Select(r => (Row: r, Sim: VectorCodec.Dot(queries[q], matrix.AsSpan(r * Dims, Dims))))
                    .OrderByDescending(x => x.Sim).Take(k).ToList();
                Assert.Equal(exact.Select(x => (ids[x.Row], x.Sim)), found[q].Select(n => (n.Id, n.Similarity)));
            }
        }
    }

    [Fact]
    public void The_quarter_size_similarity_stays_within_a_hundredth_of_the_cosine()
    {
        var random = new Random(7);
        var matrix = Knowledge(2_000, random);
        var coarse = new CoarseVectors(matrix, Dims);
        var query = Unit(random, Gaussian(random, Dims));
        var (codes, scale) = CoarseVectors.Query(query);
        var worst = Enumerable.Range(0, 2_000)
            .Max(r => Math.Abs(coarse.Similarity(r, codes, scale) - VectorCodec.Dot(query, matrix.AsSpan(r * Dims, Dims))));
        Assert.InRange(worst, 0, 0.01f);
    }
}
