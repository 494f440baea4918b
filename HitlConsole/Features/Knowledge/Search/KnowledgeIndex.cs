using System.Collections.Concurrent;
using HitlConsole.Infrastructure.Embeddings;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Knowledge.Search;

/// <summary>
/// The tenant's active, embedded knowledge as one contiguous matrix in memory, reloaded when the knowledge
/// changes. A cheap aggregate (count, embedded count, last update) detects changes made by any instance; it is read
/// at most once per <see cref="EmbeddingOptions.IndexFreshness"/>, or at once after a write on this instance. A workspace
/// in use has its stamp read beside its searches, not in front of them (ADR 0019).
/// </summary>
public sealed partial class KnowledgeIndex(IServiceScopeFactory scopes, ITextEmbedder embedder, KnowledgeChanges changes,
    TimeProvider clock, IOptions<EmbeddingOptions> options, ILogger<KnowledgeIndex> logger) : IWorkspaceCache
{
    /// <summary>
    /// A last look younger than this many windows belongs to a workspace in use: its next search keeps the snapshot it has
    /// and the stamp is read in the background. An older look is read before the search, as at the first one.
    /// </summary>
    public const int BackgroundLookWindows = 5;

    private readonly ConcurrentDictionary<Guid, Snapshot> _snapshots = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _loading = new();
    private readonly ConcurrentDictionary<Guid, Look> _looked = new();
    private readonly ConcurrentDictionary<Guid, Task> _lookingBeside = new();

    /// <summary>When the stamp was last read for a workspace, and the generation of local writes it had seen.</summary>
    private sealed record Look(long At, long Generation);

    public async Task<Snapshot> GetAsync(Guid tenantId, CancellationToken ct)
    {
        var generation = changes.Generation;
        if (_snapshots.TryGetValue(tenantId, out var cached) && _looked.TryGetValue(tenantId, out var look) && look.Generation == generation)
        {
            var age = clock.GetElapsedTime(look.At);
            if (age < options.Value.IndexFreshness) return cached;
            if (age < options.Value.IndexFreshness * BackgroundLookWindows)
            {
                LookBeside(tenantId);
                return cached;
            }
        }
        return await LookAsync(tenantId, generation, ct);
    }

    /// <summary>The stamp read (and, when it moved, the reload) for the searches after this one; one at a time per workspace.</summary>
    private void LookBeside(Guid tenantId)
    {
        if (_lookingBeside.ContainsKey(tenantId)) return;
        var started = new TaskCompletionSource();
        if (!_lookingBeside.TryAdd(tenantId, started.Task)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await LookAsync(tenantId, changes.Generation, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The searches keep the snapshot they have; the next one past the window tries again.
                LogLookFailed(ex, tenantId);
            }
            finally
            {
                _lookingBeside.TryRemove(tenantId, out _);
                started.TrySetResult();
            }
        });
    }

    /// <summary>Waits for a background look at the workspace's stamp, if one is running (tests).</summary>
    internal Task LookingBeside(Guid tenantId) => _lookingBeside.TryGetValue(tenantId, out var running) ? running : Task.CompletedTask;

    private async Task<Snapshot> LookAsync(Guid tenantId, long generation, CancellationToken ct)
    {
        Snapshot? cached;
        var at = clock.GetTimestamp();
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var stamp = await StampAsync(db, ct);
        if (_snapshots.TryGetValue(tenantId, out cached) && cached.Stamp == stamp)
        {
            _looked[tenantId] = new Look(at, generation);
            return cached;
        }

        var gate = _loading.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (_snapshots.TryGetValue(tenantId, out cached) && cached.Stamp == stamp)
            {
                _looked[tenantId] = new Look(at, generation);
                return cached;
            }
            var rows = await db.KnowledgeEntries.AsNoTracking().Where(e => e.Active && e.Embedding != null)
                .OrderBy(e => e.Id).Select(e => new { e.Id, e.Intent, e.Language, e.Preferred, e.Embedding }).ToListAsync(ct);
            var dims = embedder.Dimensions;
            var matrix = new float[rows.Count * dims];
            for (var i = 0; i < rows.Count; i++)
                VectorCodec.CopyTo(rows[i].Embedding!, matrix.AsSpan(i * dims, dims));
            var snapshot = new Snapshot(stamp, dims, rows.Select(r => r.Id).ToArray(), rows.Select(r => r.Intent).ToArray(),
                rows.Select(r => r.Language).ToArray(), matrix, rows.Select(r => r.Preferred).ToArray());
            _snapshots[tenantId] = snapshot;
            _looked[tenantId] = new Look(at, generation);
            return snapshot;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A deleted workspace's matrix is never asked for again, and it can take hundreds of megabytes.</summary>
    public void Evict(Guid tenantId)
    {
        _snapshots.TryRemove(tenantId, out _);
        _loading.TryRemove(tenantId, out _);
        _looked.TryRemove(tenantId, out _);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the knowledge stamp of workspace {TenantId} beside its searches failed")]
    private partial void LogLookFailed(Exception ex, Guid tenantId);

    /// <summary>
    /// Runs before every search, so it must not read the wide rows: each count and the maximum is answered from a
    /// narrow index (the tenant's entries, the partial index of entries awaiting a vector, tenant + last update).
    /// </summary>
    private static async Task<Stamp> StampAsync(HitlDbContext db, CancellationToken ct)
    {
        var count = await db.KnowledgeEntries.CountAsync(ct);
        if (count == 0) return default;
        var awaiting = await db.KnowledgeEntries.CountAsync(e => e.Embedding == null, ct);
        var last = await db.KnowledgeEntries.MaxAsync(e => e.UpdatedUtc, ct);
        return new Stamp(count, awaiting, last);
    }

    public readonly record struct Stamp(int Count, int AwaitingVector, DateTime LastUpdateUtc);

    public sealed record Neighbour(int Row, Guid Id, string? Intent, string Language, float Similarity);

    public sealed class Snapshot(Stamp stamp, int dims, Guid[] ids, string?[] intents, string[] languages, float[] matrix, bool[]? preferred = null)
    {
        private readonly Lazy<IReadOnlyDictionary<string, float[]>> _centroids = new(() => Centroids(dims, intents, matrix));
        private readonly Lazy<Dictionary<Guid, int>> _rows = new(() => ids.Select((id, row) => (id, row)).ToDictionary(x => x.id, x => x.row));
        private readonly CoarseVectors? _coarse = ids.Length >= CoarseFrom ? new CoarseVectors(matrix, dims) : null;

        public Stamp Stamp { get; } = stamp;
        public int Count => ids.Length;

        /// <summary>Whether the entry has a vector in this snapshot (new and edited entries wait for the embedding service).</summary>
        public bool Contains(Guid id) => _rows.Value.ContainsKey(id);

        /// <summary>The entry's similarity to the query, or null while it waits for its vector.</summary>
        public float? Similarity(Guid id, ReadOnlySpan<float> query) =>
            _rows.Value.TryGetValue(id, out var row) ? VectorCodec.Dot(query, matrix.AsSpan(row * dims, dims)) : null;

        /// <summary>The entry's language in this snapshot (null while it waits for its vector).</summary>
        public string? LanguageOf(Guid id) => _rows.Value.TryGetValue(id, out var row) ? languages[row] : null;

        /// <summary>Mean direction of each intent's entries, normalised; a stable signal when single neighbours disagree.</summary>
        public IReadOnlyDictionary<string, float[]> IntentCentroids => _centroids.Value;

        /// <summary>Whether any entry of the snapshot is marked as its intent's preferred answer.</summary>
        public bool HasPreferred { get; } = preferred is not null && Array.IndexOf(preferred, true) >= 0;

        public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, string? intent = null, string? language = null, bool preferredOnly = false)
        {
            if (intent is null && language is null && !preferredOnly) return NearestEach([query.ToArray()], k)[0];
            if (preferredOnly && !HasPreferred) return [];
            var top = new PriorityQueue<int, float>(k + 1);
            for (var i = 0; i < ids.Length; i++)
            {
                if (preferredOnly && !preferred![i]) continue;
                if (intent is not null && !string.Equals(intents[i], intent, StringComparison.OrdinalIgnoreCase)) continue;
                if (language is not null && languages[i] != language) continue;
                Offer(top, k, i, VectorCodec.Dot(query, matrix.AsSpan(i * dims, dims)));
            }
            return Ranked(top);
        }

        /// <summary>
        /// The k nearest rows for each query in one pass: reading the matrix, not the arithmetic, is what a scan
        /// costs, so a Spanish search's two queries (text and English gloss) share it. A large workspace is split
        /// across cores, each part keeping its own top k.
        /// </summary>
        public IReadOnlyList<Neighbour>[] NearestEach(IReadOnlyList<float[]> queries, int k)
        {
            var parts = ids.Length >= ParallelFrom ? Math.Clamp(Environment.ProcessorCount, 1, 8) : 1;
            // A large workspace is read in its quarter-size copy first; the best few dozen rows are then scored exactly.
            var coarse = _coarse;
            var keep = coarse is null ? k : Math.Max(k * 4, CoarseCandidates);
            var coarseQueries = coarse is null ? null : queries.Select(q => CoarseVectors.Query(q)).ToArray();
            var partial = new PriorityQueue<int, float>[parts][];
            void Scan(int part)
            {
                var tops = queries.Select(_ => new PriorityQueue<int, float>(keep + 1)).ToArray();
                var (from, to) = ((long)ids.Length * part / parts, (long)ids.Length * (part + 1) / parts);
                for (var i = (int)from; i < to; i++)
                {
                    if (coarse is not null)
                    {
                        for (var q = 0; q < tops.Length; q++)
                            Offer(tops[q], keep, i, coarse.Similarity(i, coarseQueries![q].Codes, coarseQueries[q].Scale));
                        continue;
                    }
                    var row = matrix.AsSpan(i * dims, dims);
                    for (var q = 0; q < tops.Length; q++) Offer(tops[q], k, i, VectorCodec.Dot(queries[q], row));
                }
                partial[part] = tops;
            }
            // Most workspaces fit one part: scanned on the caller's thread, without the parallel loop's set-up.
            if (parts == 1) Scan(0);
            else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, TaskScheduler = TaskScheduler.Current }, Scan);
            var result = new IReadOnlyList<Neighbour>[queries.Count];
            for (var q = 0; q < queries.Count; q++)
            {
                var top = new PriorityQueue<int, float>(k + 1);
                for (var part = 0; part < parts; part++)
                    while (partial[part][q].TryDequeue(out var row, out var sim))
                        Offer(top, k, row, coarse is null ? sim : VectorCodec.Dot(queries[q], matrix.AsSpan(row * dims, dims)));
                result[q] = Ranked(top);
            }
            return result;
        }

        /// <summary>Below this many rows a scan takes well under a millisecond: splitting it costs more than it saves.</summary>
        private const int ParallelFrom = 16_384;

        /// <summary>From this many rows the first pass reads the quarter-size copy (docs/performance.md, "Retrieval, third pass").</summary>
        public const int CoarseFrom = 16_384;

        /// <summary>How many rows of the first pass are scored again exactly, at least (four times k when k is larger).</summary>
        private const int CoarseCandidates = 64;

        private static void Offer(PriorityQueue<int, float> top, int k, int row, float sim)
        {
            if (top.Count < k) top.Enqueue(row, sim);
            else if (top.TryPeek(out _, out var worst) && sim > worst) top.EnqueueDequeue(row, sim);
        }

        private List<Neighbour> Ranked(PriorityQueue<int, float> top)
        {
            var result = new List<Neighbour>(top.Count);
            while (top.TryDequeue(out var row, out var sim)) result.Add(new Neighbour(row, ids[row], intents[row], languages[row], sim));
            result.Reverse();
            return result;
        }

        private static Dictionary<string, float[]> Centroids(int dims, string?[] intents, float[] matrix)
        {
            var sums = new Dictionary<string, float[]>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < intents.Length; i++)
            {
                if (intents[i] is not { Length: > 0 } intent) continue;
                if (!sums.TryGetValue(intent, out var sum)) sums[intent] = sum = new float[dims];
                System.Numerics.Tensors.TensorPrimitives.Add(sum, matrix.AsSpan(i * dims, dims), sum);
            }
            foreach (var sum in sums.Values)
            {
                var norm = System.Numerics.Tensors.TensorPrimitives.Norm(sum);
                if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(sum, norm, sum);
            }
            return sums;
        }
    }
}
