using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>
/// Inserts knowledge rows on PostgreSQL with one binary <c>COPY</c> per batch, inside the current transaction when
/// there is one (a replace import). EF Core's batched inserts took 21.4 s for 60,000 rows where <c>COPY</c> of the file
/// into a bare table takes 0.5 s. The search vector is a generated column, so PostgreSQL fills it as the rows arrive.
/// </summary>
public static class PostgresBulkInsert
{
    private const string Copy = """
        COPY "KnowledgeEntries" ("Id", "TenantId", "Question", "Answer", "Category", "Intent", "Tags", "Language", "Active", "Preferred",
                                 "SourceImportId", "ContentHash", "Embedding", "Version", "CreatedUtc", "UpdatedUtc")
        FROM STDIN (FORMAT BINARY)
        """;

    public static async Task InsertAsync(HitlDbContext db, IReadOnlyList<KnowledgeEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0) return;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var writer = await connection.BeginBinaryImportAsync(Copy, ct);
            foreach (var e in entries)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(e.TenantId, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(e.Question, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(e.Answer, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(writer, e.Category, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(writer, e.Intent, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(writer, e.Tags, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(e.Language, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(e.Active, NpgsqlDbType.Boolean, ct);
                await writer.WriteAsync(e.Preferred, NpgsqlDbType.Boolean, ct);
                if (e.SourceImportId is { } source) await writer.WriteAsync(source, NpgsqlDbType.Uuid, ct);
                else await writer.WriteNullAsync(ct);
                await writer.WriteAsync(e.ContentHash, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(writer, e.Embedding, NpgsqlDbType.Bytea, ct);
                await writer.WriteAsync(e.Version, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(e.CreatedUtc, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(e.UpdatedUtc, NpgsqlDbType.TimestampTz, ct);
            }
            // Not cancelled once every row is sent: PostgreSQL may still commit a COPY whose completion the client stopped
            // waiting for, and the rows would then appear after the interrupted import's report had counted without them.
            await writer.CompleteAsync(CancellationToken.None);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct) where T : class
    {
        if (value is null) await writer.WriteNullAsync(ct);
        else await writer.WriteAsync(value, type, ct);
    }
}
