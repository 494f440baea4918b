using System.Globalization;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>
/// Inserts knowledge rows on SQLite with one prepared statement inside the current (or a new) transaction:
/// EF Core sends one command per row with its own bookkeeping, which made large imports ~10× slower. Values are
/// written exactly as EF stores them (GUIDs as upper-case text, dates as "yyyy-MM-dd HH:mm:ss.FFFFFFF"), so EF
/// reads them back unchanged. The rows are added to the full-text index in one statement after them (the insert trigger
/// leaves rows from an import to this). PostgreSQL has its own: <see cref="PostgresBulkInsert"/>.
/// </summary>
public static class SqliteBulkInsert
{
    private const string DateFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    /// <returns>How many entries were not inserted because the workspace already holds the same content (same content hash).</returns>
    public static async Task<int> InsertAsync(HitlDbContext db, IReadOnlyList<KnowledgeEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0) return 0;
        var turnedAway = 0;
        var ownTransaction = db.Database.CurrentTransaction is null ? await BeginAsync(db, ct) : null;
        try
        {
            var transaction = (SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
            await using var command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction;
            // The transaction holds the write lock, so every row added below gets a rowid above this one.
            command.CommandText = "SELECT coalesce(max(rowid), 0) FROM KnowledgeEntries";
            var before = (long)(await command.ExecuteScalarAsync(ct))!;
            command.CommandText = """
                INSERT INTO KnowledgeEntries (Id, TenantId, Question, Answer, Category, Intent, Tags, Language, Active, Preferred, SourceImportId,
                                              ContentHash, Embedding, Version, CreatedUtc, UpdatedUtc)
                VALUES ($id, $tenant, $question, $answer, $category, $intent, $tags, $language, $active, $preferred, $source, $hash, NULL, 0, $created, $updated)
                ON CONFLICT (TenantId, ContentHash) DO NOTHING
                """;
            var p = new[] { "$id", "$tenant", "$question", "$answer", "$category", "$intent", "$tags", "$language", "$active", "$preferred", "$source", "$hash", "$created", "$updated" }
                .ToDictionary(n => n, n => command.Parameters.Add(n, n is "$active" or "$preferred" ? SqliteType.Integer : SqliteType.Text));
            await command.PrepareAsync(ct);
            foreach (var e in entries)
            {
                ct.ThrowIfCancellationRequested();
                p["$id"].Value = Text(e.Id);
                p["$tenant"].Value = Text(e.TenantId);
                p["$question"].Value = e.Question;
                p["$answer"].Value = e.Answer;
                p["$category"].Value = (object?)e.Category ?? DBNull.Value;
                p["$intent"].Value = (object?)e.Intent ?? DBNull.Value;
                p["$tags"].Value = (object?)e.Tags ?? DBNull.Value;
                p["$language"].Value = e.Language;
                p["$active"].Value = e.Active ? 1 : 0;
                p["$preferred"].Value = e.Preferred ? 1 : 0;
                p["$source"].Value = e.SourceImportId is { } source ? Text(source) : DBNull.Value;
                p["$hash"].Value = e.ContentHash;
                p["$created"].Value = e.CreatedUtc.ToString(DateFormat, CultureInfo.InvariantCulture);
                p["$updated"].Value = e.UpdatedUtc.ToString(DateFormat, CultureInfo.InvariantCulture);
                // Microsoft.Data.Sqlite is synchronous underneath; the async wrapper only adds cost per row
                if (command.ExecuteNonQuery() == 0) turnedAway++;
            }
            await IndexForSearchAsync(db, transaction, before, ct);
            if (ownTransaction is not null) await ownTransaction.CommitAsync(ct);
        }
        finally
        {
            if (ownTransaction is not null) await EndAsync(db, ownTransaction);
        }
        return turnedAway;
    }

    /// <summary>
    /// Opens the connection with the import's settings and begins a transaction on it. A caller that keeps one transaction
    /// over many batches (a replace) begins it here too: SQLite decides where a transaction's statement journals go when the
    /// transaction begins, so settings made inside it come too late.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginAsync(HitlDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        // The content-hash index and the FTS5 index touch pages all over the file: with SQLite's default
        // 2 MB page cache a large import spends as much time paging as inserting (system time halved at 100,000 rows with 64 MB; 32 MB keeps the import under its memory goal).
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -32768", ct); // 32 MB
        // The table has an insert trigger (it skips these rows, but it could write), so SQLite keeps a statement journal to
        // undo each row. In a file (past 64 KB, which a transaction over many batches passes at once) it cost a write per page:
        // 60,000 rows 11.4 s → 9.7 s in memory; a 100,000-row replace 10.8 → 8.3 s. It holds one row's pages.
        await db.Database.ExecuteSqlRawAsync("PRAGMA temp_store = MEMORY", ct);
        return await db.Database.BeginTransactionAsync(ct);
    }

    /// <summary>Ends what <see cref="BeginAsync"/> began; the pooled connection gets its default settings back.</summary>
    public static async Task EndAsync(HitlDbContext db, IDbContextTransaction transaction)
    {
        await transaction.DisposeAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT", CancellationToken.None);
        await db.Database.CloseConnectionAsync();
    }

    /// <summary>
    /// The insert trigger skips rows that carry their import (migration ImportedKnowledgeIndexedInBulk): they are added to
    /// the full-text index here, in one statement. Through the trigger, FTS5 wrote its pending terms out at each row's
    /// statement and merged the tiny segments; in one statement it writes them once (60,000 rows: 12.6 s → 9.7 s for the import).
    /// </summary>
    private static async Task IndexForSearchAsync(HitlDbContext db, SqliteTransaction transaction, long before, CancellationToken ct)
    {
        await using var index = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
        index.Transaction = transaction;
        index.CommandText = """
            INSERT INTO KnowledgeSearch(rowid, Question, Answer, Tags)
            SELECT rowid, Question, Answer, Tags FROM KnowledgeEntries WHERE rowid > $before AND SourceImportId IS NOT NULL
            """;
        index.Parameters.AddWithValue("$before", before);
        await index.ExecuteNonQueryAsync(ct);
    }

    private static string Text(Guid id) => id.ToString().ToUpperInvariant();
}
