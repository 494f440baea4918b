using System.Text.Json;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Ai;

/// <summary>
/// A deterministic, offline generator: ranks the tenant's active knowledge entries by word overlap
/// with the message and answers with the best one. It stands in until the built-in model of the
/// AI drafting work replaces it, and it stays the deterministic model for pipeline tests.
/// </summary>
public sealed class KeywordDraftGenerator(IServiceScopeFactory scopes) : IDraftGenerator
{
    public const string ModelName = "keyword-overlap";
    private static readonly HashSet<string> StopWords =
    [
        "i", "a", "an", "the", "to", "my", "me", "of", "and", "or", "is", "it", "in", "on", "for", "with", "can", "you", "do", "how", "what",
        "want", "would", "like", "need", "please", "help", "could", "have", "be", "am", "are", "your", "at", "this", "that",
        "el", "la", "los", "las", "de", "que", "y", "en", "un", "una", "por", "para", "mi", "es", "no", "como", "quiero", "me", "lo",
    ];

    public async Task<DraftProposal> GenerateAsync(DraftRequest request, CancellationToken ct)
    {
        var words = Words(request.CustomerText);
        await using var scope = scopes.CreateTenantScope(request.TenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var entries = await db.KnowledgeEntries.AsNoTracking().Where(e => e.Active)
            .Select(e => new { e.Id, e.Question, e.Answer, e.Intent }).ToListAsync(ct);

        var ranked = entries
            .Select(e => (Entry: e, Score: Score(words, Words(e.Question))))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Entry.Id)
            .Take(3).ToList();

        if (ranked.Count == 0 || ranked[0].Score < 0.2)
        {
            var fallback = SystemReplies.Generic[request.Language == "es" ? "es" : "en"];
            return new DraftProposal(fallback, [], null, "out_of_knowledge", 15, [], true,
                "No knowledge entry shares enough words with the message.", ModelName, words.Count, 0);
        }

        var best = ranked[0];
        var margin = ranked.Count > 1 ? best.Score - ranked[1].Score : best.Score;
        var confidence = (int)Math.Clamp(Math.Round(40 + 45 * best.Score + 30 * margin), 0, 99);
        return new DraftProposal(
            best.Entry.Answer,
            ranked.Skip(1).Select(r => r.Entry.Answer).Distinct().ToList(),
            best.Entry.Intent,
            "answer",
            confidence,
            ranked.Select(r => r.Entry.Id).ToList(),
            false,
            $"Best match shares {best.Score:P0} of its words with the message (next best {best.Score - margin:P0}).",
            ModelName, words.Count, Words(best.Entry.Answer).Count);
    }

    private static HashSet<string> Words(string text) =>
        Guardrail.Tokenize(text).Where(t => t.Length > 1 && !StopWords.Contains(t)).Select(Stem).ToHashSet();

    private static string Stem(string w) => w.Length > 4 && w.EndsWith('s') ? w[..^1] : w;

    private static double Score(HashSet<string> query, HashSet<string> candidate) =>
        query.Count == 0 || candidate.Count == 0 ? 0 : (double)query.Intersect(candidate).Count() / query.Union(candidate).Count();
}
