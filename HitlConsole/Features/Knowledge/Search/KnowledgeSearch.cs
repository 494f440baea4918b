using HitlConsole.Features.Ai.Embeddings;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge.Search;

public sealed record KnowledgeHit(
    Guid Id, string Question, string Answer, string? Intent, string? Category, string Language, double Score, double Semantic, double Lexical);

/// <summary>
/// Ranked retrieval over one tenant's active knowledge, used by the built-in model, the LLM prompt and the
/// knowledge grid: semantic neighbours from <see cref="KnowledgeIndex"/> fused with database full-text hits, so
/// paraphrases are found by meaning and rare exact words (an order number, a product name) still count.
/// </summary>
public sealed class KnowledgeSearch(IServiceScopeFactory scopes, KnowledgeIndex index, ITextEmbedder embedder)
{
    private const double LexicalWeight = 0.25;
    /// <summary>Neighbours less similar than this are noise, not results (unless their words match).</summary>
    private const double MinSemantic = 0.2;

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string text, string language, int k, CancellationToken ct,
        float[]? queryVector = null, KnowledgeIndex.Snapshot? snapshot = null)
    {
        if (string.IsNullOrWhiteSpace(text) || k <= 0) return [];
        snapshot ??= await index.GetAsync(tenantId, ct);
        queryVector ??= embedder.Embed([text], ct)[0];
        var pool = Math.Max(k * 4, 20);
        var semantic = snapshot.Nearest(queryVector, pool).Where(n => n.Similarity >= MinSemantic).ToDictionary(n => n.Id, n => (double)n.Similarity);

        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var lexical = await LexicalSearch.SearchAsync(db, tenantId, text, language, pool, ct);
        var bestRank = lexical.Count == 0 ? 1 : Math.Max(lexical.Max(h => h.Rank), 1e-9);
        var lexicalScore = lexical.ToDictionary(h => h.Id, h => h.Rank / bestRank);

        var fused = semantic.Keys.Union(lexicalScore.Keys)
            .Select(id => (Id: id, Semantic: semantic.GetValueOrDefault(id), Lexical: lexicalScore.GetValueOrDefault(id)))
            .Select(x => (x.Id, x.Semantic, x.Lexical, Score: (1 - LexicalWeight) * x.Semantic + LexicalWeight * x.Lexical))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(k).ToList();
        if (fused.Count == 0) return [];

        return await LoadAsync(db, fused, ct);
    }

    /// <summary>The closest entries of one intent by meaning alone: the reply source when the classified intent is not among the top hits.</summary>
    public async Task<IReadOnlyList<KnowledgeHit>> NearestOfIntentAsync(Guid tenantId, float[] queryVector, string intent, int k,
        KnowledgeIndex.Snapshot snapshot, CancellationToken ct)
    {
        var nearest = snapshot.Nearest(queryVector, k, intent).Select(n => (n.Id, Semantic: (double)n.Similarity, Lexical: 0d, Score: (1 - LexicalWeight) * n.Similarity)).ToList();
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
            .Select(e => new { e.Id, e.Question, e.Answer, e.Intent, e.Category, e.Language }).ToDictionaryAsync(e => e.Id, ct);
        return fused.Where(f => entries.ContainsKey(f.Id)).Select(f =>
        {
            var e = entries[f.Id];
            return new KnowledgeHit(e.Id, e.Question, e.Answer, e.Intent, e.Category, e.Language, f.Score, f.Semantic, f.Lexical);
        }).ToList();
    }
}
