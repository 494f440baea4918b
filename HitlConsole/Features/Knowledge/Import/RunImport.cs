using System.Text.Json;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Features.Knowledge.Search;

namespace HitlConsole.Features.Knowledge.Import;

public sealed record ImportProgress(Guid ImportId, ImportStatus Status, long RowsRead, long Inserted, long Updated, long Duplicates, long Invalid, double Fraction)
    : LivePayload;

/// <summary>
/// The import job's work: streams the file, maps and validates each row, and writes in batches of
/// <see cref="BatchSize"/> with a fresh change tracker per batch (flat memory). Duplicates (same normalised
/// question and answer, in the file or already stored) are skipped, so the same file twice changes nothing.
/// Replace runs in one transaction: a failure or cancellation leaves the previous knowledge intact.
/// </summary>
public sealed partial class RunImport(
    IDbContextFactory<HitlDbContext> factory, LiveFeed feed, KnowledgeEmbedder embedder, KnowledgeChanges changes, TimeProvider clock, ILogger<RunImport> logger)
{
    public const int BatchSize = 2000;
    private const int MaxReportedErrors = 1000;

    private sealed class Counters
    {
        public long Read, Inserted, Updated, Duplicates, Invalid;
        /// <summary>New entries the workspace's limit still allows; null is unlimited.</summary>
        public long? Capacity;
        /// <summary>How far through the file the reader is (0–1), for the progress bar.</summary>
        public double Fraction;
        public readonly List<object> Errors = [];

        public void Fail(long row, string reason)
        {
            Invalid++;
            if (Errors.Count < MaxReportedErrors) Errors.Add(new { row, reason });
        }
    }

    public async Task<ImportStatus> HandleAsync(Guid importId, CancellationToken ct)
    {
        KnowledgeImport import;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            import = await db.KnowledgeImports.SingleAsync(i => i.Id == importId, ct);
            if (import.Status != ImportStatus.Queued) return import.Status; // a retried job must not run twice
            import.Status = ImportStatus.Running;
            import.StartedUtc = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        Publish(import, new Counters());

        var counters = new Counters();
        var status = ImportStatus.Completed;
        string? failure = null;
        try
        {
            status = await ProcessAsync(import, counters, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogImportFailed(ex, importId);
            status = ImportStatus.Failed;
            failure = ex is JsonException or System.Text.DecoderFallbackException || ex.GetType().Namespace?.StartsWith("CsvHelper") == true
                ? "ImportFailedUnreadable" : "ImportFailedUnexpected";
        }

        await using (var db = await factory.CreateDbContextAsync(CancellationToken.None))
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await db.KnowledgeImports.Where(i => i.Id == importId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, status).SetProperty(i => i.FinishedUtc, now).SetProperty(i => i.FailureReason, failure)
                .SetProperty(i => i.RowsRead, counters.Read).SetProperty(i => i.Inserted, counters.Inserted)
                .SetProperty(i => i.Updated, counters.Updated).SetProperty(i => i.Duplicates, counters.Duplicates)
                .SetProperty(i => i.Invalid, counters.Invalid).SetProperty(i => i.Errors, JsonSerializer.Serialize(counters.Errors)), CancellationToken.None);
            db.Record(import.CreatedByUserId, "knowledge.imported", nameof(KnowledgeImport), importId.ToString(), null, new
            {
                import.FileName, Mode = import.Mode.ToString(), Status = status.ToString(), counters.Read, counters.Inserted, counters.Updated,
                counters.Duplicates, counters.Invalid,
            }, now);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        TryDelete(import.FilePath);
        HitlMetrics.ImportRows.WithLabels("inserted").Inc(counters.Inserted);
        HitlMetrics.ImportRows.WithLabels("updated").Inc(counters.Updated);
        HitlMetrics.ImportRows.WithLabels("duplicate").Inc(counters.Duplicates);
        HitlMetrics.ImportRows.WithLabels("invalid").Inc(counters.Invalid);
        import.Status = status;
        Publish(import, counters);
        if (counters.Inserted + counters.Updated > 0) embedder.Signal();
        return status;
    }

    private async Task<ImportStatus> ProcessAsync(KnowledgeImport import, Counters counters, CancellationToken ct)
    {
        var mapping = new ColumnMapping(JsonSerializer.Deserialize<Dictionary<KnowledgeField, string>>(import.Mapping)!);
        var shape = new ImportFileShape(Enum.Parse<ImportFileFormat>(import.Format), EncodingFor(import.EncodingName), import.EncodingName,
            import.Delimiter[0], import.EncodingName == "Windows-1252");
        var key = import.Mode == ImportMode.Upsert ? Enum.Parse<KnowledgeField>(import.UpsertKey ?? nameof(KnowledgeField.Question)) : (KnowledgeField?)null;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // Replace keeps one context and transaction for the whole file, so nothing is visible (or lost) until it all worked.
        await using var replaceDb = import.Mode == ImportMode.Replace ? await factory.CreateDbContextAsync(ct) : null;
        await using var replaceTx = replaceDb is null ? null : await replaceDb.Database.BeginTransactionAsync(ct);
        if (replaceDb is not null) await replaceDb.KnowledgeEntries.ExecuteDeleteAsync(ct);
        counters.Capacity = await CapacityAsync(replaceDb, ct);

        await using var file = File.OpenRead(import.FilePath);
        var batch = new List<MappedRow>(BatchSize);
        await foreach (var record in ImportRecords.ReadAsync(file, shape, ct))
        {
            counters.Read++;
            batch.Add(RowMapper.Map(record, mapping, import.DefaultLanguage));
            if (batch.Count < BatchSize) continue;
            counters.Fraction = file.Length == 0 ? 1 : Math.Min(1, (double)file.Position / file.Length);
            if (!await WriteBatchAsync(import, replaceDb, batch, key, seen, counters, ct)) return await CancelAsync(replaceTx);
            batch.Clear();
        }
        if (batch.Count > 0 && !await WriteBatchAsync(import, replaceDb, batch, key, seen, counters, ct)) return await CancelAsync(replaceTx);
        if (replaceTx is not null) await replaceTx.CommitAsync(ct);
        return ImportStatus.Completed;
    }

    /// <summary>Rows beyond the workspace's entry limit are reported, row by row, as refused; the rest are imported.</summary>
    private async Task<long?> CapacityAsync(HitlDbContext? replaceDb, CancellationToken ct)
    {
        await using var own = replaceDb is null ? await factory.CreateDbContextAsync(ct) : null;
        var db = replaceDb ?? own!;
        var limit = await db.Tenants.Where(t => t.Id == db.CurrentTenantId).Select(t => t.MaxKnowledgeEntries).SingleOrDefaultAsync(ct);
        return limit is { } max ? Math.Max(0, max - await db.KnowledgeEntries.CountAsync(ct)) : null;
    }

    private static async Task<ImportStatus> CancelAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? replaceTx)
    {
        if (replaceTx is not null) await replaceTx.RollbackAsync();
        return ImportStatus.Cancelled;
    }

    /// <returns>false when a cancellation was requested (checked once per batch).</returns>
    private async Task<bool> WriteBatchAsync(KnowledgeImport import, HitlDbContext? replaceDb, List<MappedRow> batch, KnowledgeField? key,
        HashSet<string> seen, Counters counters, CancellationToken ct)
    {
        await using var own = replaceDb is null ? await factory.CreateDbContextAsync(ct) : null;
        var db = replaceDb ?? own!;
        if (await db.KnowledgeImports.AsNoTracking().Where(i => i.Id == import.Id).Select(i => i.CancelRequested).SingleAsync(ct)) return false;

        var now = clock.GetUtcNow().UtcDateTime;
        var rows = new List<(long Row, KnowledgeInput Input, string Hash)>();
        foreach (var mapped in batch)
        {
            if (mapped.Input is null) { counters.Fail(mapped.Row, mapped.Error!); continue; }
            var hash = KnowledgeHash.Of(mapped.Input.Question.Trim(), mapped.Input.Answer.Trim()); // as ManageKnowledge.Apply computes it
            if (!seen.Add(hash)) { counters.Duplicates++; continue; }
            rows.Add((mapped.Row, mapped.Input, hash));
        }
        var hashes = rows.Select(r => r.Hash).ToList();
        var stored = (await db.KnowledgeEntries.Where(e => hashes.Contains(e.ContentHash)).Select(e => e.ContentHash).ToListAsync(ct)).ToHashSet();

        Dictionary<string, KnowledgeEntry> byKey = [];
        if (key is { } field)
        {
            var keys = rows.Select(r => KeyOf(r.Input, field)).OfType<string>().Distinct().ToList();
            var existing = field switch
            {
                KnowledgeField.Intent => db.KnowledgeEntries.Where(e => keys.Contains(e.Intent!)),
                KnowledgeField.Category => db.KnowledgeEntries.Where(e => keys.Contains(e.Category!)),
                KnowledgeField.Tags => db.KnowledgeEntries.Where(e => keys.Contains(e.Tags!)),
                _ => db.KnowledgeEntries.Where(e => keys.Contains(e.Question)),
            };
            foreach (var entry in await existing.ToListAsync(ct))
                byKey.TryAdd(KeyOf(KnowledgeInput.From(entry), field)!, entry);
        }

        var inserts = new List<KnowledgeEntry>();
        foreach (var (row, input, hash) in rows)
        {
            if (stored.Contains(hash)) { counters.Duplicates++; continue; }
            if (key is { } k && KeyOf(input, k) is { } keyValue && byKey.TryGetValue(keyValue, out var target))
            {
                if (target.Question != input.Question.Trim()) target.Embedding = null;
                ManageKnowledge.Apply(target, input, now);
                target.Version++;
                counters.Updated++;
                continue;
            }
            if (counters.Capacity is <= 0) { counters.Fail(row, "ImportRowOverLimit"); continue; }
            counters.Capacity--;
            var created = new KnowledgeEntry { Question = "", Answer = "", ContentHash = hash, CreatedUtc = now, SourceImportId = import.Id };
            ManageKnowledge.Apply(created, input, now);
            created.TenantId = import.TenantId;
            inserts.Add(created);
            counters.Inserted++;
        }
        if (db.Database.IsSqlite()) await SqliteBulkInsert.InsertAsync(db, inserts, ct);
        else await PostgresBulkInsert.InsertAsync(db, inserts, ct);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        changes.Raise(); // the bulk inserts write past EF Core's interceptors
        if (replaceDb is null)
        {
            await db.KnowledgeImports.Where(i => i.Id == import.Id).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.RowsRead, counters.Read).SetProperty(i => i.Inserted, counters.Inserted).SetProperty(i => i.Updated, counters.Updated)
                .SetProperty(i => i.Duplicates, counters.Duplicates).SetProperty(i => i.Invalid, counters.Invalid), ct);
        }
        Publish(import, counters);
        return true;
    }

    private static string? KeyOf(KnowledgeInput input, KnowledgeField field) => (field switch
    {
        KnowledgeField.Intent => input.Intent,
        KnowledgeField.Category => input.Category,
        KnowledgeField.Tags => input.Tags,
        _ => input.Question,
    })?.Trim();

    private void Publish(KnowledgeImport import, Counters c) =>
        feed.Publish(new LiveEvent(import.TenantId, LiveEventKind.ImportProgress, Guid.Empty,
            Payload: new ImportProgress(import.Id, import.Status, c.Read, c.Inserted, c.Updated, c.Duplicates, c.Invalid,
                import.Status is ImportStatus.Completed ? 1 : c.Fraction), SubjectId: import.Id));

    public static System.Text.Encoding EncodingFor(string name) => name switch
    {
        "UTF-16 LE" => new System.Text.UnicodeEncoding(false, false),
        "UTF-16 BE" => new System.Text.UnicodeEncoding(true, false),
        "Windows-1252" => ImportFormat.Windows1252,
        _ => new System.Text.UTF8Encoding(false),
    };

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Knowledge import {ImportId} failed")]
    private partial void LogImportFailed(Exception ex, Guid importId);
}
