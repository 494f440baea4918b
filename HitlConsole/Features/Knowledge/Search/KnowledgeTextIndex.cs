using System.Collections.Concurrent;
using HitlConsole.Features.Languages;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge.Search;

/// <summary>
/// The workspace's active knowledge as an in-process Lucene index (BM25), for drafting: a query costs a millisecond or
/// two where the database's full-text search costs tens (FTS5 scores every matching row of the table, and a
/// round trip comes on top). Entries are indexed as their own language's folded Snowball stems, the
/// same analysis the query gets, so "cobraron" meets "cobro". Kept fresh from the same stamp as the vectors: rows
/// changed since the last sync are re-indexed; when the count disagrees (a delete), the index is rebuilt.
/// The knowledge grid keeps the database's full-text search: it also finds inactive entries. A built index is saved
/// (<see cref="TextIndexSnapshots"/>), so the next build of the same knowledge, after a restart, only loads it.
/// </summary>
public sealed partial class KnowledgeTextIndex(
    IServiceScopeFactory scopes, TextIndexSnapshots snapshots, TimeProvider clock, ILogger<KnowledgeTextIndex> logger) : IWorkspaceCache
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    /// <summary>
    /// Another instance's clock may lag ours, and an import stamps many rows alike: rows stamped this much before the
    /// newest seen are read again at each sync (small, because a running import syncs often).
    /// </summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);
    /// <summary>The question says what an entry is about; it weighs twice the answer (as in the database search).</summary>
    private const float QuestionBoost = 2f;

    private readonly ConcurrentDictionary<Guid, Workspace> _workspaces = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _syncing = new();

    public sealed record Hit(Guid Id, double Rank);

    /// <summary>The top <paramref name="k"/> entries whose stems match any of the query's, best first.</summary>
    public async Task<IReadOnlyList<Hit>> SearchAsync(Guid tenantId, KnowledgeIndex.Stamp stamp, string text, string language, int k, CancellationToken ct)
    {
        var terms = LexicalSearch.Words(text).SelectMany(TextAnalysis.Words).Select(w => TextAnalysis.Stem(w, language))
            .Where(t => t.Length > 1).Distinct().Take(32).ToList();
        if (terms.Count == 0 || k <= 0) return [];
        var workspace = await FreshAsync(tenantId, stamp, ct);
        var query = new BooleanQuery();
        foreach (var term in terms)
        {
            // One clause per word, so the share of the query's words an entry matches is the coordination factor.
            var either = new BooleanQuery(disableCoord: true)
            {
                { new TermQuery(new Term("q", term)) { Boost = QuestionBoost }, Occur.SHOULD },
                { new TermQuery(new Term("a", term)), Occur.SHOULD },
            };
            query.Add(either, Occur.SHOULD);
        }
        var searcher = workspace.Searchers.Acquire();
        try
        {
            var top = searcher.Search(query, k);
            return top.ScoreDocs.Select(d => new Hit(Guid.Parse(searcher.Doc(d.Doc).Get("id")), d.Score)).ToList();
        }
        finally
        {
            workspace.Searchers.Release(searcher);
        }
    }

    /// <summary>
    /// The stems no entry's question or answer holds, not even as a one-letter typo of a word the knowledge has: what a
    /// message asks about when the workspace never wrote about it ("gift wrap", "student discount").
    /// </summary>
    public async Task<IReadOnlyList<string>> UnknownAsync(Guid tenantId, KnowledgeIndex.Stamp stamp, IReadOnlyList<string> stems, CancellationToken ct)
    {
        if (stems.Count == 0) return [];
        var workspace = await FreshAsync(tenantId, stamp, ct);
        var searcher = workspace.Searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            return stems.Where(stem => !Known(searcher, reader, stem)).ToList();
        }
        finally
        {
            workspace.Searchers.Release(searcher);
        }
    }

    /// <summary>
    /// What each stem was found to be, per reader: a reader never changes, and customers reuse their words, so the typo search
    /// (a few milliseconds a Spanish draft) runs once per word and index version rather than once per draft.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IndexReader, ConcurrentDictionary<string, bool>> KnownByReader = new();

    /// <summary>Words remembered per reader at most; typos are endless, and past this each draft looks its words up again.</summary>
    private const int KnownCacheLimit = 50_000;

    private static bool Known(IndexSearcher searcher, IndexReader reader, string stem)
    {
        var known = KnownByReader.GetValue(reader, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));
        if (known.TryGetValue(stem, out var was)) return was;
        var result = Lookup(searcher, reader, stem);
        if (known.Count < KnownCacheLimit) known.TryAdd(stem, result);
        return result;
    }

    private static bool Lookup(IndexSearcher searcher, IndexReader reader, string stem)
    {
        // Answers count: questions alone left too many of an everyday message's words unknown (docs/quality.md).
        if (reader.DocFreq(new Term("q", stem)) > 0 || reader.DocFreq(new Term("a", stem)) > 0) return true;
        if (stem.Length < TypoFrom) return false;
        // Edits after the first two letters only: a typo rarely starts a word, and the prefix keeps the automaton small.
        var typo = new BooleanQuery
        {
            { new FuzzyQuery(new Term("q", stem), 1, 2), Occur.SHOULD },
            { new FuzzyQuery(new Term("a", stem), 1, 2), Occur.SHOULD },
        };
        return searcher.Search(typo, 1).TotalHits > 0;
    }

    /// <summary>Shorter stems are read as they are: one letter changed in "pay" or "box" is another word.</summary>
    private const int TypoFrom = 5;

    /// <summary>Brings the workspace's index up to <paramref name="stamp"/> now (building it if this instance has none).</summary>
    public async Task PrepareAsync(Guid tenantId, KnowledgeIndex.Stamp stamp, CancellationToken ct) => await FreshAsync(tenantId, stamp, ct);

    /// <summary>Whether this instance holds an index of the workspace.</summary>
    public bool Holds(Guid tenantId) => _workspaces.ContainsKey(tenantId);

    public void Evict(Guid tenantId)
    {
        if (_workspaces.TryRemove(tenantId, out var workspace)) workspace.Dispose();
        _syncing.TryRemove(tenantId, out _);
        snapshots.Delete(tenantId);
    }

    private static readonly BM25Similarity Similarity = new CoordinatedBm25();

    /// <summary>
    /// BM25 scaled by the square root of the share of the query's words an entry matches. Plain BM25 lets one rare
    /// word carry an entry: with hits normalised by the best one, an entry sharing only "shop" with "are pets allowed
    /// inside your shops" outranked the entry that answers it by meaning. The full share cost hit@3 on the everyday
    /// sets; plain BM25 cost more (docs/performance.md).
    /// </summary>
    private sealed class CoordinatedBm25 : BM25Similarity
    {
        public override float Coord(int overlap, int maxOverlap) => maxOverlap == 0 ? 0 : MathF.Sqrt((float)overlap / maxOverlap);
    }

    private async Task<Workspace> FreshAsync(Guid tenantId, KnowledgeIndex.Stamp stamp, CancellationToken ct)
    {
        if (_workspaces.TryGetValue(tenantId, out var current) && current.Stamp == stamp) return current;
        // Only vectors arrived (the stamp's awaiting count moved): the text is what it was.
        if (current is not null && current.Stamp.Count == stamp.Count && current.Stamp.LastUpdateUtc == stamp.LastUpdateUtc)
        {
            current.Stamp = stamp;
            return current;
        }
        var gate = _syncing.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (_workspaces.TryGetValue(tenantId, out current) && current.Stamp == stamp) return current;
            await using var scope = scopes.CreateTenantScope(tenantId);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
            // A replaced index is left to the garbage collector, not disposed: a search may still be reading it.
            if (current is null || !await CatchUpAsync(db, current, ct)) current = await LoadOrBuildAsync(tenantId, db, ct);
            current.Stamp = stamp;
            _workspaces[tenantId] = current;
            return current;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Workspace> LoadOrBuildAsync(Guid tenantId, HitlDbContext db, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        // Reading the entries costs a fraction of analysing and indexing them: the content names the snapshot to look for.
        var present = new TextIndexSnapshots.Content();
        await foreach (var e in ActiveRows(db).WithCancellation(ct)) present.Add(e.Id, e.Question, e.Answer, e.Tags, e.Language, e.UpdatedUtc);
        if (snapshots.TryLoad(tenantId, present) is { } saved)
        {
            try
            {
                var loaded = new Workspace(saved, OpenMode.APPEND) { Newest = present.Newest };
                loaded.Ids.UnionWith(present.Ids);
                loaded.Searchers.MaybeRefreshBlocking();
                LogLoaded(loaded.Ids.Count, (long)clock.GetElapsedTime(started).TotalMilliseconds);
                return loaded;
            }
            catch (IOException ex)
            {
                LogUnusable(ex.GetType().Name);
            }
        }

        // Built from a second read, and saved under that read's own content: an entry changed in between is never
        // saved under the name of what the first read saw.
        var workspace = new Workspace(new RAMDirectory(), OpenMode.CREATE);
        var built = new TextIndexSnapshots.Content();
        await foreach (var e in ActiveRows(db).WithCancellation(ct))
        {
            workspace.Writer.AddDocument(Document(e));
            workspace.Ids.Add(e.Id);
            built.Add(e.Id, e.Question, e.Answer, e.Tags, e.Language, e.UpdatedUtc);
        }
        workspace.Newest = built.Newest;
        workspace.Writer.Commit();
        snapshots.Save(tenantId, built, workspace.Writer.Directory);
        workspace.Searchers.MaybeRefreshBlocking();
        LogBuilt(workspace.Ids.Count, (long)clock.GetElapsedTime(started).TotalMilliseconds);
        return workspace;
    }

    private static IAsyncEnumerable<Row> ActiveRows(HitlDbContext db) =>
        db.KnowledgeEntries.AsNoTracking().Where(e => e.Active)
            .Select(e => new Row(e.Id, e.Question, e.Answer, e.Tags, e.Language, e.Active, e.UpdatedUtc)).AsAsyncEnumerable();

    /// <summary>Re-indexes the rows changed since the last sync; false when only a rebuild can be trusted (rows deleted).</summary>
    private static async Task<bool> CatchUpAsync(HitlDbContext db, Workspace workspace, CancellationToken ct)
    {
        // An index of no entries has seen no change yet (and DateTime.MinValue cannot go back further).
        var since = workspace.Newest > DateTime.MinValue + ClockSkew ? workspace.Newest - ClockSkew : DateTime.MinValue;
        var changed = await db.KnowledgeEntries.AsNoTracking().Where(e => e.UpdatedUtc >= since)
            .Select(e => new Row(e.Id, e.Question, e.Answer, e.Tags, e.Language, e.Active, e.UpdatedUtc)).ToListAsync(ct);
        foreach (var e in changed)
        {
            var id = new Term("id", e.Id.ToString());
            if (e.Active)
            {
                workspace.Writer.UpdateDocument(id, Document(e));
                workspace.Ids.Add(e.Id);
            }
            else if (workspace.Ids.Remove(e.Id))
            {
                workspace.Writer.DeleteDocuments(id);
            }
            if (e.UpdatedUtc > workspace.Newest) workspace.Newest = e.UpdatedUtc;
        }
        if (await db.KnowledgeEntries.CountAsync(e => e.Active, ct) != workspace.Ids.Count) return false;
        workspace.Searchers.MaybeRefreshBlocking();
        return true;
    }

    private static Document Document(Row e) =>
    [
        new StringField("id", e.Id.ToString(), Field.Store.YES),
        new TextField("q", Analysed(e.Question, e.Language), Field.Store.NO),
        new TextField("a", Analysed($"{e.Answer} {e.Tags}", e.Language), Field.Store.NO),
    ];

    /// <summary>Every word, folded and stemmed; stop words stay, as in the database's index (queries leave them out).</summary>
    private static string Analysed(string text, string language) =>
        string.Join(' ', TextAnalysis.Words(text).Select(w => TextAnalysis.Stem(w, language)));

    private sealed record Row(Guid Id, string Question, string Answer, string? Tags, string Language, bool Active, DateTime UpdatedUtc);

    private sealed class Workspace : IDisposable
    {
        public Workspace(RAMDirectory directory, OpenMode mode)
        {
            // The text is already analysed into stems: the index splits on spaces and nothing else.
            Writer = new IndexWriter(directory, new IndexWriterConfig(Version, new WhitespaceAnalyzer(Version))
            {
                Similarity = Similarity,
                OpenMode = mode,
            });
            Searchers = new SearcherManager(Writer, applyAllDeletes: true, new Bm25Searchers());
        }

        public IndexWriter Writer { get; }
        public SearcherManager Searchers { get; }
        public HashSet<Guid> Ids { get; } = [];
        public DateTime Newest { get; set; }
        public KnowledgeIndex.Stamp Stamp { get; set; }

        public void Dispose()
        {
            Searchers.Dispose();
            Writer.Dispose();
        }
    }

    private sealed class Bm25Searchers : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Similarity };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge text index built: {Entries} entries in {ElapsedMs} ms")]
    private partial void LogBuilt(int entries, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge text index loaded from its snapshot: {Entries} entries in {ElapsedMs} ms")]
    private partial void LogLoaded(int entries, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A knowledge text index snapshot could not be opened ({Error}); it is built again")]
    private partial void LogUnusable(string error);
}
