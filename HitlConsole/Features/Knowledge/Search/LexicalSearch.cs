using System.Text.RegularExpressions;
using HitlConsole.Features.Languages;
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

        var match = string.Join(" OR ", words.Select(w => SqliteTerm(w, language)));
        // bm25 is lower-is-better; negate so both providers rank higher-is-better. Question weighs twice the answer.
        // The workspace filter is a set of rowids read from the narrow (TenantId, Active) index, and only the top k
        // rows are joined back: joining every match to the wide KnowledgeEntries rows cost ~5 ms per 1,000 entries.
        // The unary + keeps SQLite from handing the rowid list to FTS5 as lookups (one full-text query per entry).
        return await db.Database.SqlQuery<LexicalHit>($"""
            SELECT e.Id AS Id, h.Rank AS Rank
            FROM (SELECT rowid, -bm25(KnowledgeSearch, 2.0, 1.0, 1.0) AS Rank FROM KnowledgeSearch
                  WHERE KnowledgeSearch MATCH {match}
                    AND +rowid IN (SELECT rowid FROM KnowledgeEntries WHERE TenantId = {tenantId} AND (Active = 1 OR {includeInactive}))
                  ORDER BY Rank DESC, rowid LIMIT {k}) h
            JOIN KnowledgeEntries e ON e.rowid = h.rowid
            ORDER BY h.Rank DESC, e.Id
            """).ToListAsync(ct);
    }

    /// <summary>
    /// An FTS5 term. The index stems with Porter, which knows English only: a Spanish word is matched by its Snowball
    /// stem as a prefix ("cobraron" → cobr* finds "cobro", "cobrado", "cobrar"), accents folded like the index does.
    /// </summary>
    private static string SqliteTerm(string word, string language)
    {
        if (language != "es") return $"\"{word}\"";
        var folded = TextAnalysis.Fold(word);
        var stem = TextAnalysis.Stem(folded, "es");
        return stem.Length >= 4 && stem.Length < folded.Length ? $"\"{stem}\"*" : $"\"{folded}\"";
    }

    /// <summary>
    /// Distinct lower-case words of two or more characters, at most 32 of them, without the most common English and
    /// Spanish function words — unless nothing else is left. Those words match nearly every entry, so they add little
    /// to the ranking but make SQLite score every entry (PostgreSQL's english/spanish configurations drop them too).
    /// </summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length > 1).Distinct().ToList();
        var content = words.Where(w => !StopWords.Contains(w) && !TextAnalysis.IsStopWord(TextAnalysis.Fold(w), "es")
            && !TextAnalysis.IsStopWord(TextAnalysis.Fold(w), "en")).ToList();
        return (content.Count > 0 ? content : words).Take(32).ToList();
    }

    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was",
        "were", "be", "been", "am", "do", "does", "did", "can", "could", "would", "should", "will", "me", "my", "you", "your", "it",
        "its", "we", "our", "us", "this", "that", "these", "those", "there", "what", "how", "which", "who", "so", "have", "has", "had",
        "im", "ive", "id", "dont", "pls", "please",
        "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "al", "que", "en", "y", "o", "por", "para", "con", "mi", "mis",
        "es", "lo", "le", "se", "su", "sus", "yo", "tu", "como", "cómo", "qué", "hay", "muy", "ya",
    ];

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
