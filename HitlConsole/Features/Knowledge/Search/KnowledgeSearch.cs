using HitlConsole.Infrastructure.Embeddings;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge.Search;

public sealed record KnowledgeHit(
    Guid Id, string Question, string Answer, string? Intent, string? Category, string Language, double Score, double Semantic, double Lexical)
{
    /// <summary>The workspace's preferred answer for its intent (<see cref="Domain.KnowledgeEntry.Preferred"/>).</summary>
    public bool Preferred { get; init; }
}

/// <summary>
/// Ranked retrieval over one tenant's active knowledge, used by the built-in model, the LLM prompt and the
/// knowledge grid: semantic neighbours from <see cref="KnowledgeIndex"/> fused with full-text hits, so paraphrases
/// are found by meaning and rare exact words (an order number, a product name) still count. Drafting reads the
/// in-process <see cref="KnowledgeTextIndex"/> and touches the database once, for the k entries it returns; the grid
/// uses the database's full-text search, which also knows inactive entries.
/// </summary>
public sealed class KnowledgeSearch(IServiceScopeFactory scopes, KnowledgeIndex index, KnowledgeTextIndex textIndex, ITextEmbedder embedder)
{
    private const double LexicalWeight = 0.25;
    /// <summary>Neighbours less similar than this are noise, not results (unless their words match).</summary>
    private const double MinSemantic = 0.2;
    /// <summary>A grid result list should hold what a person would call a match.</summary>
    private const double GridMinSemantic = 0.45;
    /// <summary>MiniLM rates Spanish texts close to one another whatever they say: a Spanish grid search needs a closer match.</summary>
    private const double SpanishGridMinSemantic = 0.6;
    /// <summary>
    /// How many entries the grid takes by meaning alone at most, and how far below the closest of them they may be: above a
    /// fixed floor, a thousand neighbours of a two-word search were most of a demo's Spanish entries.
    /// </summary>
    private const int GridMeaningPool = 20;
    private const double GridMeaningMargin = 0.08;

    /// <summary>For Spanish, the English gloss's vector: it finds English entries (and English-phrased intents) by meaning.</summary>
    private float[]? GlossVector(string text, string language) =>
        language == "es" ? embedder.Embed([Languages.SpanishGloss.Default.Gloss(text)])[0] : null;

    /// <summary>Builds the workspace's vector and text indexes now, ahead of its first search.</summary>
    public async Task PrepareAsync(Guid tenantId, CancellationToken ct)
    {
        var snapshot = await index.GetAsync(tenantId, ct);
        await textIndex.PrepareAsync(tenantId, snapshot.Stamp, ct);
    }

    /// <summary>The stems of <paramref name="stems"/> the workspace's active knowledge never uses (typos of its words apart).</summary>
    public Task<IReadOnlyList<string>> UnknownAsync(Guid tenantId, KnowledgeIndex.Snapshot snapshot, IReadOnlyList<string> stems, CancellationToken ct) =>
        textIndex.UnknownAsync(tenantId, snapshot.Stamp, stems, ct);

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string text, string language, int k, CancellationToken ct,
        float[]? queryVector = null, KnowledgeIndex.Snapshot? snapshot = null, float[]? glossVector = null)
    {
        if (string.IsNullOrWhiteSpace(text) || k <= 0) return [];
        snapshot ??= await index.GetAsync(tenantId, ct);
        if (queryVector is null && glossVector is null && language == "es")
            (queryVector, glossVector) = embedder.EmbedSideBySide(text, Languages.SpanishGloss.Default.Gloss(text), ct);
        queryVector ??= embedder.Embed([text], ct)[0];
        glossVector ??= GlossVector(text, language);
        var pool = Math.Max(k * 4, 20);
        var lexical = (await textIndex.SearchAsync(tenantId, snapshot.Stamp, text, language, pool, ct)).Select(h => (h.Id, h.Rank)).ToList();
        var fused = Fuse(lexical, pool, queryVector, snapshot, MinSemantic, glossVector);
        if (fused.Count == 0) return [];
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        return await LoadAsync(db, fused.Take(k).ToList(), ct);
    }

    /// <summary>
    /// For the knowledge grid: entries holding every word of the search (active or not), and a few active entries clearly
    /// close in meaning, in one fused ranking. Ids only, best first, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> RankIdsAsync(Guid tenantId, string text, string language, int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var snapshot = await index.GetAsync(tenantId, ct);
        var lexical = (await LexicalSearch.SearchAsync(db, tenantId, text, limit, ct, includeInactive: true)).Select(h => (h.Id, h.Rank)).ToList();
        var minSemantic = language == "es" ? SpanishGridMinSemantic : GridMinSemantic;
        // By meaning the search is read without accents or capitals: people type "cancelacion" for "cancelación", and the two
        // must list the same entries (the words' part already folds both).
        var meaning = Infrastructure.Data.Like.FoldText(text);
        var fused = Fuse(lexical, GridMeaningPool, embedder.Embed([meaning], ct)[0], snapshot, minSemantic, GlossVector(meaning, language),
            scoreEveryWordMatch: true);
        // A match by meaning alone must be close to the closest one: a grid of everything above a floor is noise.
        var closest = fused.Where(f => f.Lexical == 0).Select(f => f.Semantic).DefaultIfEmpty(0).Max();
        // The entries holding the words come first, then those found by meaning alone: a Spanish search for "contraseña"
        // listed thirteen English password entries before the Spanish ones that hold the word.
        return fused.Where(f => f.Lexical > 0 || f.Semantic >= closest - GridMeaningMargin).OrderByDescending(f => f.Lexical > 0)
            .Take(limit).Select(f => f.Id).ToList();
    }

    /// <summary>Semantic neighbours and full-text hits, each normalised, fused into one ranking (best first).</summary>
    /// <param name="scoreEveryWordMatch">Also score by meaning the word matches outside the <paramref name="pool"/> nearest (the
    /// grid, whose pool by meaning is small and whose word matches are many).</param>
    private static List<(Guid Id, double Semantic, double Lexical, double Score)> Fuse(IReadOnlyList<(Guid Id, double Rank)> lexical, int pool,
        float[] queryVector, KnowledgeIndex.Snapshot snapshot, double minSemantic, float[]? glossVector, bool scoreEveryWordMatch = false)
    {
        var nearest = snapshot.NearestEach(glossVector is null ? [queryVector] : [queryVector, glossVector], pool);
        var semantic = nearest[0].Where(n => n.Similarity >= minSemantic).ToDictionary(n => n.Id, n => (double)n.Similarity);
        // The gloss reads English entries; an entry counts with its better match. English entries matched through a
        // gloss are held a little lower, so a Spanish entry of the same closeness ranks first.
        double ThroughGloss(string language, float similarity) => language == "es" ? similarity : 0.95 * similarity;
        if (glossVector is not null)
            foreach (var n in nearest[1].Where(n => n.Similarity >= minSemantic))
            {
                var sim = ThroughGloss(n.Language, n.Similarity);
                if (sim > semantic.GetValueOrDefault(n.Id)) semantic[n.Id] = sim;
            }
        if (scoreEveryWordMatch)
            foreach (var (id, _) in lexical.Where(h => !semantic.ContainsKey(h.Id)))
            {
                if (snapshot.Similarity(id, queryVector) is not { } sim) continue;
                double best = sim;
                if (glossVector is not null && snapshot.Similarity(id, glossVector) is { } viaGloss)
                    best = Math.Max(best, ThroughGloss(snapshot.LanguageOf(id)!, viaGloss));
                // No floor: the entry holds the words, and its closeness in meaning only orders it among the others that do.
                semantic[id] = best;
            }
        var bestRank = lexical.Count == 0 ? 1 : Math.Max(lexical.Max(h => h.Rank), 1e-9);
        var lexicalScore = lexical.ToDictionary(h => h.Id, h => h.Rank / bestRank);
        return semantic.Keys.Union(lexicalScore.Keys)
            // An entry still waiting for its vector borrows its text score, so a fresh entry is findable at once.
            .Select(id => (Id: id, Semantic: semantic.TryGetValue(id, out var sim) ? sim : snapshot.Contains(id) ? 0 : lexicalScore.GetValueOrDefault(id),
                Lexical: lexicalScore.GetValueOrDefault(id)))
            .Select(x => (x.Id, x.Semantic, x.Lexical, Score: (1 - LexicalWeight) * x.Semantic + LexicalWeight * x.Lexical))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id).ToList();
    }

    /// <summary>
    /// The closest entries of one intent by meaning alone: the reply source when the classified intent is not among the top hits.
    /// <paramref name="preferredOnly"/>: only the intent's preferred answers in <paramref name="language"/>, and only those at
    /// least <paramref name="minSimilarity"/> close, so the database is read only when one of them could be used.
    /// </summary>
    public async Task<IReadOnlyList<KnowledgeHit>> NearestOfIntentAsync(Guid tenantId, float[] queryVector, string intent, int k,
        KnowledgeIndex.Snapshot snapshot, CancellationToken ct, string? language = null, bool preferredOnly = false, double minSimilarity = 0)
    {
        var inLanguage = language is null ? [] : snapshot.Nearest(queryVector, k, intent, language, preferredOnly);
        var nearest = (inLanguage.Count > 0 || preferredOnly ? inLanguage : snapshot.Nearest(queryVector, k, intent))
            .Where(n => n.Similarity >= minSimilarity).Select(n => (n.Id, Semantic: (double)n.Similarity, Lexical: 0d, Score: (1 - LexicalWeight) * n.Similarity)).ToList();
        if (nearest.Count == 0) return [];
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        return await LoadAsync(db, nearest, ct);
    }

    private static async Task<IReadOnlyList<KnowledgeHit>> LoadAsync(HitlDbContext db,
        List<(Guid Id, double Semantic, double Lexical, double Score)> fused, CancellationToken ct)
    {
        var ids = fused.Select(f => f.Id).ToList();
        var entries = await db.KnowledgeEntries.AsNoTracking().Where(e => ids.Contains(e.Id))
            .Select(e => new { e.Id, e.Question, e.Answer, e.Intent, e.Category, e.Language, e.Preferred }).ToDictionaryAsync(e => e.Id, ct);
        return fused.Where(f => entries.ContainsKey(f.Id)).Select(f =>
        {
            var e = entries[f.Id];
            return new KnowledgeHit(e.Id, e.Question, e.Answer, e.Intent, e.Category, e.Language, f.Score, f.Semantic, f.Lexical) { Preferred = e.Preferred };
        }).ToList();
    }
}
