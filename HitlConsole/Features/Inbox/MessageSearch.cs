using System.Runtime.CompilerServices;
using HitlConsole.Features.Languages;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// Full-text search over the workspace's messages (text and captions) for the inbox: every word of the query must be in one
/// message, the last one as a prefix (the word still being typed); accents and case do not matter ("envio" finds
/// "Envío"). The query is reduced to its letters and digits before it reaches the database, so quotes and FTS
/// operators (<c>NEAR(</c>, <c>*</c>, <c>-</c>, <c>"</c>) are plain separators, never syntax. The objects searched are in
/// <see cref="MessageSearchSql"/>.
/// </summary>
public static class MessageSearch
{
    /// <summary>More words than this say nothing more and cost more.</summary>
    public const int MaxWords = 16;

    /// <summary>The query's folded words (lower case, no accents), in order, without repeats.</summary>
    public static IReadOnlyList<string> Words(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : TextAnalysis.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().Take(MaxWords).ToList();

    /// <summary>
    /// The ids of the workspace's conversations with a message matching every word, as a subquery to compose with the inbox's
    /// query; null when the text has no word to look for. The workspace is named explicitly: raw SQL gets no query filter.
    /// </summary>
    public static IQueryable<Guid>? Conversations(HitlDbContext db, Guid tenantId, string? text)
    {
        var words = Words(text);
        if (words.Count == 0) return null;
        bool Prefix(int i) => i == words.Count - 1 && words[i].Length >= 2;
        if (db.Database.IsNpgsql())
        {
            var tsquery = string.Join(" & ", words.Select((w, i) => Prefix(i) ? w + ":*" : w));
            return db.Database.SqlQuery<Guid>(FormattableStringFactory.Create(
                $"SELECT DISTINCT m.\"ConversationId\" AS \"Value\" FROM \"Messages\" m WHERE m.\"TenantId\" = {{0}} AND {MessageSearchSql.PostgresDocument} @@ to_tsquery('simple'::regconfig, {{1}})",
                tenantId, tsquery));
        }
        var match = string.Join(' ', words.Select((w, i) => Prefix(i) ? $"\"{w}\"*" : $"\"{w}\""));
        return db.Database.SqlQuery<Guid>(FormattableStringFactory.Create(
            $"SELECT DISTINCT m.ConversationId AS Value FROM {MessageSearchSql.SqliteTable} JOIN Messages m ON m.rowid = {MessageSearchSql.SqliteTable}.rowid WHERE {MessageSearchSql.SqliteTable} MATCH {{0}} AND m.TenantId = {{1}}",
            match, tenantId));
    }
}
