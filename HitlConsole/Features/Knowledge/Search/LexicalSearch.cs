using System.Text.RegularExpressions;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge.Search;

/// <summary>
/// Full-text search in the database: SQLite FTS5 (porter stemming, accents folded) or PostgreSQL tsvector with
/// the entry's own language (english/spanish). Any query word may match (OR); rank orders the hits.
/// </summary>
public static partial class LexicalSearch
{
    public sealed record LexicalHit(Guid Id, double Rank);

    public static async Task<IReadOnlyList<LexicalHit>> SearchAsync(HitlDbContext db, Guid tenantId, string text, string language, int k, CancellationToken ct,
        bool includeInactive = false)
    {
        var words = Words(text);
        if (words.Count == 0) return [];
        if (db.Database.IsNpgsql())
        {
            var config = language == "es" ? "spanish" : "english";
            // Words are letters and digits only, so the tsquery text cannot carry operators of its own.
            var query = string.Join(" | ", words);
            return await db.Database.SqlQuery<LexicalHit>($"""
                SELECT e."Id", ts_rank_cd(e."SearchVector", q)::float8 AS "Rank"
                FROM "KnowledgeEntries" e, to_tsquery({config}::regconfig, {query}) q
                WHERE e."TenantId" = {tenantId} AND (e."Active" OR {includeInactive}) AND e."SearchVector" @@ q
                ORDER BY "Rank" DESC, e."Id" LIMIT {k}
                """).ToListAsync(ct);
        }

        var match = string.Join(" OR ", words.Select(w => $"\"{w}\""));
        // bm25 is lower-is-better; negate so both providers rank higher-is-better. Question weighs twice the answer.
        return await db.Database.SqlQuery<LexicalHit>($"""
            SELECT e.Id AS Id, -bm25(KnowledgeSearch, 2.0, 1.0, 1.0) AS Rank
            FROM KnowledgeSearch JOIN KnowledgeEntries e ON e.rowid = KnowledgeSearch.rowid
            WHERE KnowledgeSearch MATCH {match} AND e.TenantId = {tenantId} AND (e.Active = 1 OR {includeInactive})
            ORDER BY Rank DESC, e.Id LIMIT {k}
            """).ToListAsync(ct);
    }

    /// <summary>Distinct lower-case words of two or more characters, at most 32 of them.</summary>
    public static IReadOnlyList<string> Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length > 1).Distinct().Take(32).ToList();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
