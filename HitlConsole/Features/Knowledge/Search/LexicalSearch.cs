using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using HitlConsole.Features.Languages;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge.Search;

/// <summary>
/// Full-text search in the database, for the knowledge grid: SQLite FTS5 (porter stemming, accents folded) or PostgreSQL
/// tsvector with the entry's own language (english/spanish). Every content word of the query must match (AND), each in
/// either language's form, so a search narrows as words are added; rank orders the hits. When no entry holds every word,
/// entries holding some of them are found instead, cut below half the best rank so that a common word alone does not
/// bring in the rest of the table. A grid holds both languages and a query of one or two words says little about its own,
/// so the form of each word is not chosen by a language guess.
/// </summary>
public static partial class LexicalSearch
{
    public sealed record LexicalHit(Guid Id, double Rank);

    /// <summary>With some of the words matched, a hit ranked below this share of the best one is left out.</summary>
    public const double SomeWordsShare = 0.5;

    public static async Task<IReadOnlyList<LexicalHit>> SearchAsync(HitlDbContext db, Guid tenantId, string text, int k, CancellationToken ct,
        bool includeInactive = false)
    {
        var words = Words(text);
        if (words.Count == 0) return [];
        var all = await SearchAsync(db, tenantId, words, every: true, k, includeInactive, ct);
        if (all.Count > 0 || words.Count == 1) return all;
        var some = await SearchAsync(db, tenantId, words, every: false, k, includeInactive, ct);
        var best = some.Count == 0 ? 0 : some.Max(h => h.Rank);
        return some.Where(h => h.Rank >= SomeWordsShare * best).ToList();
    }

    private static async Task<List<LexicalHit>> SearchAsync(HitlDbContext db, Guid tenantId, IReadOnlyList<string> words, bool every, int k,
        bool includeInactive, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            // Per word, without accents as the entries are indexed: its English stem, its Spanish stem (each as the entry's own
            // configuration indexes it), and its Spanish stem as a prefix ("cobraron" meets "cobrado", "cancelar" meets
            // "cancelación"). Folding both sides makes "facturacion", as customers and agents type it, find what "facturación"
            // finds. Words are letters and digits only, and each is a parameter, so the query text cannot carry operators of its own.
            var args = new List<object> { tenantId, includeInactive, k };
            var terms = new List<string>();
            foreach (var word in words)
            {
                args.Add(TextAnalysis.Fold(word));
                var forms = $"to_tsquery('english', {{{args.Count - 1}}}) || to_tsquery('spanish', {{{args.Count - 1}}})";
                if (SpanishPrefix(word) is { } prefix)
                {
                    args.Add(prefix + ":*");
                    forms += $" || to_tsquery('simple', {{{args.Count - 1}}})";
                }
                terms.Add($"({forms})");
            }
            var sql = $$"""
                SELECT e."Id", ts_rank_cd(e."SearchVector", q)::float8 AS "Rank"
                FROM "KnowledgeEntries" e, (SELECT {{string.Join(every ? " && " : " || ", terms)}} AS q) t
                WHERE e."TenantId" = {0} AND (e."Active" OR {1}) AND e."SearchVector" @@ q
                ORDER BY "Rank" DESC, e."Id" LIMIT {2}
                """;
            return await db.Database.SqlQuery<LexicalHit>(FormattableStringFactory.Create(sql, [.. args])).ToListAsync(ct);
        }

        var match = string.Join(every ? " AND " : " OR ", words.Select(SqliteTerm));
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
    /// An FTS5 term for one word: the word itself (the index stems it with Porter, which knows English only) or, for a
    /// Spanish word, its Snowball stem as a prefix ("cobraron" → cobr* finds "cobro", "cobrado", "cobrar"), accents folded
    /// like the index does.
    /// </summary>
    private static string SqliteTerm(string word)
    {
        var folded = TextAnalysis.Fold(word);
        return SpanishPrefix(word) is { } prefix ? $"(\"{folded}\" OR \"{prefix}\"*)" : $"\"{folded}\"";
    }

    /// <summary>The Spanish Snowball stem of the folded word when stemming shortened it and four letters or more are left.</summary>
    private static string? SpanishPrefix(string word)
    {
        var folded = TextAnalysis.Fold(word);
        var stem = TextAnalysis.Stem(folded, "es");
        return stem.Length >= 4 && stem.Length < folded.Length ? stem : null;
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
