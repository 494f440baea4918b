using HitlConsole.Infrastructure;
using HitlConsole.Infrastructure.Embeddings;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Knowledge.Search;

/// <summary>
/// Gives every knowledge entry its vector, however it arrived (editor, import, API, another instance): a
/// backlog sweep rather than per-change signals, so nothing is missed after a crash. Until an entry has its
/// vector, full-text search still finds it.
/// </summary>
public sealed partial class KnowledgeEmbedder(
    IServiceScopeFactory scopes, ITextEmbedder embedder, IEnumerable<IWarmUp> warmUps, KnowledgeSearch search,
    DraftingThreads modelThreads, IOptions<EmbeddingOptions> options, IHostApplicationLifetime lifetime,
    ILogger<KnowledgeEmbedder> logger) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Wakes the sweep now, for callers that just wrote knowledge.</summary>
    public void Signal()
    {
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            Infrastructure.Observability.HitlMetrics.WarmUpSeconds.Set(0.001); // nothing to warm up
            return;
        }
        if (options.Value.WarmUpDelay > TimeSpan.Zero)
        {
            try
            {
                await lifetime.WhenStartedAsync(stoppingToken);
                await Task.Delay(options.Value.WarmUpDelay, stoppingToken);
            }
            catch (OperationCanceledException) { return; }
        }
        // Load the models now rather than inside the first customer's draft: every registered warm-up (the default
        // catalogue's vectors and lexical model, the guardrail's trained model) and the language detector's models (≈ 2 s
        // each, once per process), side by side, once the web server listens. The embedding model itself is not among them:
        // the catalogue's vectors ship precomputed, and loading it costs ≈ 300 MB that an instance nobody writes to does
        // not need, so the first draft pays its ≈ 1.5 s (docs/performance.md, "First draft after a restart").
        var warming = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // A server told to stop during the warm-up stops at once: the trainings cannot be interrupted, and under load they
            // held a stop for the host's whole shutdown timeout (30 s).
            await Task.WhenAll(warmUps.Select(w => Task.Run(w.WarmUp, stoppingToken))
                .Append(Task.Run(Languages.TextLanguage.Preload, stoppingToken))).WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
        await PrepareActiveWorkspacesAsync(stoppingToken);
        // Loading the models, training the guardrail and building the indexes leave ≈ 150 MB of garbage that the collector
        // would keep as headroom for hours on an idle instance (idle 460 MB instead of 307 MB): it is handed back to the
        // system once, here. Not with an immediate warm-up (the tests, hundreds of apps in one process, each would stop it).
        if (options.Value.WarmUpDelay > TimeSpan.Zero)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Infrastructure.Observability.HitlMetrics.WarmUpSeconds.Set(Math.Max(warming.Elapsed.TotalSeconds, 0.001));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await EmbedBatchAsync(stoppingToken) > 0) { }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(ex);
            }
            try { await _signal.WaitAsync(options.Value.Interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// Builds the search indexes of the most recently active workspaces (<see cref="EmbeddingOptions.WarmWorkspaces"/>), then of
    /// any with knowledge, so a first draft after a restart does not wait seconds for its workspace's index.
    /// </summary>
    private async Task PrepareActiveWorkspacesAsync(CancellationToken ct)
    {
        var limit = options.Value.WarmWorkspaces;
        if (limit == 0) return;
        try
        {
            List<Guid> tenants;
            await using (var scope = scopes.CreateAsyncScope())
            await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct))
            {
                tenants = await db.Conversations.IgnoreQueryFilters().GroupBy(c => c.TenantId)
                    .Select(g => new { Tenant = g.Key, Last = g.Max(c => c.LastActivityUtc) })
                    .OrderByDescending(g => g.Last).Take(limit).Select(g => g.Tenant).ToListAsync(ct);
                if (tenants.Count < limit)
                    tenants.AddRange(await db.KnowledgeEntries.IgnoreQueryFilters().Where(e => !tenants.Contains(e.TenantId))
                        .Select(e => e.TenantId).Distinct().OrderBy(t => t).Take(limit - tenants.Count).ToListAsync(ct));
            }
            foreach (var tenant in tenants) await search.PrepareAsync(tenant, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogPrepareFailed(ex); // each workspace's index is built at its first search instead
        }
    }

    /// <summary>Embeds one batch across tenants; returns how many entries got their vector.</summary>
    public async Task<int> EmbedBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var batch = await db.KnowledgeEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.Embedding == null)
            .OrderBy(e => e.TenantId).Take(options.Value.BatchSize).Select(e => new { e.Id, e.Question, e.UpdatedUtc }).ToListAsync(ct);
        if (batch.Count == 0) return 0;

        // Below request priority, like drafts (ADR 0024): after a large import the backlog is minutes of one core's work.
        var vectors = await modelThreads.RunAsync(() => Task.FromResult(embedder.Embed(batch.Select(b => b.Question).ToList(), ct)), ct);
        var done = 0;
        // One transaction behind the write gate, not one per entry outside it: each of those made the webhooks' writer wait.
        using (await SqliteWriteGate.EnterAsync(db.Database, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            for (var i = 0; i < batch.Count; i++)
            {
                var (id, question, blob) = (batch[i].Id, batch[i].Question, VectorCodec.ToBytes(vectors[i]));
                // Only if the question is still the one embedded; an edit in between leaves the row for the next sweep.
                done += await db.KnowledgeEntries.IgnoreQueryFilters().Where(e => e.Id == id && e.Question == question && e.Embedding == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Embedding, blob), ct);
            }
            await tx.CommitAsync(ct);
        }
        LogEmbedded(done);
        return done;
    }

    /// <summary>
    /// Gives one entry its vector now (a correction just published), so the next draft finds it by meaning without waiting
    /// for the sweep. A no-op when the entry already has one or embeddings are off.
    /// </summary>
    public async Task EmbedNowAsync(Guid entryId, CancellationToken ct)
    {
        if (!options.Value.Enabled) return;
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var question = await db.KnowledgeEntries.IgnoreQueryFilters().Where(e => e.Id == entryId && e.Embedding == null)
            .Select(e => e.Question).SingleOrDefaultAsync(ct);
        if (question is null) return;
        var blob = VectorCodec.ToBytes((await Task.Run(() => embedder.Embed([question], ct), ct))[0]);
        using var writer = await SqliteWriteGate.EnterAsync(db.Database, ct);
        await db.KnowledgeEntries.IgnoreQueryFilters().Where(e => e.Id == entryId && e.Question == question && e.Embedding == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Embedding, blob), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded {Count} knowledge entries")]
    private partial void LogEmbedded(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preparing the active workspaces' search indexes failed; each is built at its first search")]
    private partial void LogPrepareFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Knowledge embedding sweep failed; retrying on the next interval")]
    private partial void LogSweepFailed(Exception ex);
}
