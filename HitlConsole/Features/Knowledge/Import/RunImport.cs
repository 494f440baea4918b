using System.Text.Json;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Features.Knowledge.Search;
using System.Threading.Channels;

namespace HitlConsole.Features.Knowledge.Import;

/// <param name="FailureReason">A failed import's reason (a resource key), so every open knowledge page can say why.</param>
public sealed record ImportProgress(Guid ImportId, ImportStatus Status, long RowsRead, long Inserted, long Updated, long Duplicates, long Invalid, double Fraction,
    long Deleted = 0, string? FailureReason = null)
    : LivePayload
{
    public static ImportProgress Of(KnowledgeImport import) => new(import.Id, import.Status, import.RowsRead, import.Inserted, import.Updated,
        import.Duplicates, import.Invalid, import.Status == ImportStatus.Completed ? 1 : 0, import.Deleted, import.FailureReason);
}

/// <summary>
/// The import job's work: streams the file, maps and validates each row, and writes in batches of
/// <see cref="BatchSize"/> with a fresh change tracker per batch (flat memory). Duplicates (same normalised
/// question and answer, in the file or already stored) are skipped, so the same file twice changes nothing.
/// Replace runs in one transaction: a failure or cancellation leaves the previous knowledge intact.
/// </summary>
public sealed partial class RunImport(
    IDbContextFactory<HitlDbContext> factory, LiveFeed feed, KnowledgeEmbedder embedder, KnowledgeChanges changes, ImportHeartbeat heartbeat,
    TimeProvider clock, ILogger<RunImport> logger)
{
    public const int BatchSize = 2000;
    private const int MaxReportedErrors = 1000;

    private sealed class Counters
    {
        public long Read, Inserted, Updated, Duplicates, Invalid;
        /// <summary>The entries a replace deleted, counted once it committed (a rolled-back replace deleted nothing).</summary>
        public long Deleted;
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
        var interrupted = false;
        bool beats;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            import = await db.KnowledgeImports.SingleAsync(i => i.Id == importId, ct);
            beats = db.Database.IsNpgsql();
            // Running here means the run that set it stopped with its process (a restart, a kill): Hangfire delivers a job
            // again only once its worker is gone (or its invisibility timeout passed, so on PostgreSQL a run that still beats
            // is left alone), and the start-up sweep only looks on SQLite, where one instance owns the file.
            if (import.Status == ImportStatus.Running)
            {
                if (heartbeat.IsAlive(import)) return ImportStatus.Running;
                interrupted = true;
            }
            else if (import.Status != ImportStatus.Queued) return import.Status; // a retried job must not run twice
            else
            {
                import.Status = ImportStatus.Running;
                import.StartedUtc = clock.GetUtcNow().UtcDateTime;
                import.HeartbeatUtc = beats ? import.StartedUtc : null;
                await db.SaveChangesAsync(ct);
            }
        }

        var counters = new Counters();
        var status = ImportStatus.Completed;
        string? failure = null;
        if (!interrupted)
        {
            Publish(import, counters);
            // Cancelled when the server stops, or when the heartbeat finds the import already reported interrupted.
            using var run = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var endBeats = new CancellationTokenSource();
            var beating = beats ? heartbeat.BeatAsync(importId, run, endBeats.Token) : Task.CompletedTask;
            try
            {
                status = await ProcessAsync(import, counters, run.Token);
            }
            catch (Exception) when (run.IsCancellationRequested)
            {
                interrupted = true; // the batches committed so far stay
            }
            catch (Exception ex) when (!run.IsCancellationRequested)
            {
                LogImportFailed(ex, importId);
                status = ImportStatus.Failed;
                failure = ex is JsonException or System.Text.DecoderFallbackException || ex.GetType().Namespace?.StartsWith("CsvHelper") == true
                    ? "ImportFailedUnreadable" : "ImportFailedUnexpected";
            }
            finally
            {
                await endBeats.CancelAsync();
                await beating;
            }
        }
        if (interrupted)
        {
            LogImportInterrupted(importId);
            status = ImportStatus.Failed;
            failure = import.Mode == ImportMode.Replace ? "ImportInterruptedNothingChanged" : "ImportInterrupted";
            counters = await WhatStayedAsync(import, CancellationToken.None);
        }

        await using (var db = await factory.CreateDbContextAsync(CancellationToken.None))
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await db.KnowledgeImports.Where(i => i.Id == importId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, status).SetProperty(i => i.FinishedUtc, now).SetProperty(i => i.FailureReason, failure)
                .SetProperty(i => i.RowsRead, counters.Read).SetProperty(i => i.Inserted, counters.Inserted)
                .SetProperty(i => i.Updated, counters.Updated).SetProperty(i => i.Duplicates, counters.Duplicates)
                .SetProperty(i => i.Invalid, counters.Invalid).SetProperty(i => i.Deleted, counters.Deleted)
                .SetProperty(i => i.Errors, JsonSerializer.Serialize(counters.Errors)), CancellationToken.None);
            db.Record(import.CreatedByUserId, "knowledge.imported", nameof(KnowledgeImport), importId.ToString(), null, new
            {
                import.FileName, Mode = import.Mode.ToString(), Status = status.ToString(), counters.Read, counters.Inserted, counters.Updated,
                counters.Duplicates, counters.Invalid, counters.Deleted,
            }, now);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        TryDelete(import.FilePath);
        HitlMetrics.ImportRows.WithLabels("inserted").Inc(counters.Inserted);
        HitlMetrics.ImportRows.WithLabels("updated").Inc(counters.Updated);
        HitlMetrics.ImportRows.WithLabels("duplicate").Inc(counters.Duplicates);
        HitlMetrics.ImportRows.WithLabels("invalid").Inc(counters.Invalid);
        import.Status = status;
        Publish(import, counters, failure);
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
        var replaceTx = replaceDb is null ? null
            : replaceDb.Database.IsSqlite() ? await SqliteBulkInsert.BeginAsync(replaceDb, ct) : await replaceDb.Database.BeginTransactionAsync(ct);
        await using var endReplace = replaceTx is null ? null : new EndTransaction(replaceDb!, replaceTx);
        var deleted = replaceDb is null ? 0 : await replaceDb.KnowledgeEntries.ExecuteDeleteAsync(ct);
        counters.Capacity = await CapacityAsync(replaceDb, ct);

        // The file is read, mapped, validated and hashed on one task while the batch before is written on this one: that work
        // (≈ 3.5 s of a 100,000-row file, mostly the language guess) no longer holds the writer up. One batch waits at most,
        // so memory stays flat.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = System.Threading.Channels.Channel.CreateBounded<ReadBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadBatchesAsync(import, shape, mapping, batches.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(CancellationToken.None))
            {
                counters.Read = batch.RowsRead;
                counters.Fraction = batch.Fraction;
                if (!await WriteBatchAsync(import, replaceDb, batch.Rows, key, seen, counters, ct)) return await CancelAsync(replaceTx);
            }
            await reading; // an unreadable file fails the import here, before a replace commits
        }
        finally
        {
            await stop.CancelAsync();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (replaceTx is not null) await replaceTx.CommitAsync(ct);
        counters.Deleted = deleted;
        return ImportStatus.Completed;
    }

    /// <summary>Ends a replace's transaction (rolled back unless committed) and, on SQLite, restores the connection's settings.</summary>
    private sealed class EndTransaction(HitlDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => db.Database.IsSqlite()
            ? new ValueTask(SqliteBulkInsert.EndAsync(db, transaction))
            : transaction.DisposeAsync();
    }

    /// <summary>Rows mapped and hashed, with how far through the file the reader was.</summary>
    private sealed record ReadBatch(List<ReadRow> Rows, long RowsRead, double Fraction);

    /// <summary>A mapped row and, when it is valid, its content hash (as <see cref="ManageKnowledge.Apply"/> computes it).</summary>
    private sealed record ReadRow(MappedRow Mapped, string? Hash);

    private static async Task ReadBatchesAsync(KnowledgeImport import, ImportFileShape shape, ColumnMapping mapping, ChannelWriter<ReadBatch> writer,
        CancellationToken ct)
    {
        try
        {
            await using var file = File.OpenRead(import.FilePath);
            var rows = new List<ReadRow>(BatchSize);
            long read = 0;
            await foreach (var record in ImportRecords.ReadAsync(file, shape, ct))
            {
                read++;
                var mapped = RowMapper.Map(record, mapping, import.DefaultLanguage);
                rows.Add(new ReadRow(mapped, mapped.Input is { } input ? KnowledgeHash.Of(input.Question.Trim(), input.Answer.Trim()) : null));
                if (rows.Count < BatchSize) continue;
                await writer.WriteAsync(new ReadBatch(rows, read, file.Length == 0 ? 1 : Math.Min(1, (double)file.Position / file.Length)), ct);
                rows = new List<ReadRow>(BatchSize);
            }
            if (rows.Count > 0) await writer.WriteAsync(new ReadBatch(rows, read, 1), ct);
        }
        finally
        {
            writer.TryComplete();
        }
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

    /// <summary>
    /// What an interrupted import left: the counts its last committed batch stored, and the entries it inserted as they are in
    /// the database (a replace rolled back: none, and nothing deleted). Importing the file again adds the rest; the rows
    /// already in are skipped as duplicates.
    /// </summary>
    private async Task<Counters> WhatStayedAsync(KnowledgeImport import, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var stored = await db.KnowledgeImports.AsNoTracking().SingleAsync(i => i.Id == import.Id, ct);
        var inserted = await db.KnowledgeEntries.LongCountAsync(e => e.SourceImportId == import.Id, ct);
        var counters = new Counters { Read = stored.RowsRead, Inserted = inserted, Invalid = stored.Invalid };
        if (import.Mode != ImportMode.Replace) (counters.Updated, counters.Duplicates) = (stored.Updated, stored.Duplicates);
        return counters;
    }

    /// <returns>false when a cancellation was requested (checked once per batch).</returns>
    private async Task<bool> WriteBatchAsync(KnowledgeImport import, HitlDbContext? replaceDb, List<ReadRow> batch, KnowledgeField? key,
        HashSet<string> seen, Counters counters, CancellationToken ct)
    {
        await using var own = replaceDb is null ? await factory.CreateDbContextAsync(ct) : null;
        var db = replaceDb ?? own!;
        if (await db.KnowledgeImports.AsNoTracking().Where(i => i.Id == import.Id).Select(i => i.CancelRequested).SingleAsync(ct)) return false;

        var now = clock.GetUtcNow().UtcDateTime;
        var rows = new List<(long Row, KnowledgeInput Input, string Hash)>();
        foreach (var (mapped, hash) in batch)
        {
            if (mapped.Input is null) { counters.Fail(mapped.Row, mapped.Error!); continue; }
            if (!seen.Add(hash!)) { counters.Duplicates++; continue; }
            rows.Add((mapped.Row, mapped.Input, hash!));
        }
        // On SQLite the unique index on (workspace, content hash) turns stored duplicates away as the rows go in. Asking first
        // matters only where a duplicate changes what happens to other rows: an upsert's key match, and the entry limit.
        var sqlite = db.Database.IsSqlite();
        var stored = new HashSet<string>(StringComparer.Ordinal);
        if (key is not null || counters.Capacity is not null || !sqlite)
        {
            var hashes = rows.Select(r => r.Hash).ToList();
            stored.UnionWith(await db.KnowledgeEntries.Where(e => hashes.Contains(e.ContentHash)).Select(e => e.ContentHash).ToListAsync(ct));
        }

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
                ManageKnowledge.Apply(target, input, now, hash);
                target.Version++;
                counters.Updated++;
                continue;
            }
            if (counters.Capacity is <= 0) { counters.Fail(row, "ImportRowOverLimit"); continue; }
            counters.Capacity--;
            // Time-ordered ids go in at the end of the primary key's index instead of all over it: a batch's commit writes a few
            // index pages rather than most of them (100,000 rows: ≈ 0.7 s less).
            var created = new KnowledgeEntry { Id = Guid.CreateVersion7(now), Question = "", Answer = "", ContentHash = hash, CreatedUtc = now, SourceImportId = import.Id };
            ManageKnowledge.Apply(created, input, now, hash);
            created.TenantId = import.TenantId;
            inserts.Add(created);
            counters.Inserted++;
        }
        // An append writes batch by batch between the webhooks' and drafts' writes, in the queue they wait in, rather than
        // making them meet a busy file (a replace holds SQLite's write lock from its first batch to its commit anyway).
        using var writer = replaceDb is null ? await SqliteWriteGate.EnterAsync(db.Database, ct) : null;
        if (sqlite)
        {
            var turnedAway = await SqliteBulkInsert.InsertAsync(db, inserts, ct);
            counters.Inserted -= turnedAway;
            counters.Duplicates += turnedAway;
        }
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

    private void Publish(KnowledgeImport import, Counters c, string? failure = null) =>
        feed.Publish(new LiveEvent(import.TenantId, LiveEventKind.ImportProgress, Guid.Empty,
            Payload: new ImportProgress(import.Id, import.Status, c.Read, c.Inserted, c.Updated, c.Duplicates, c.Invalid,
                import.Status is ImportStatus.Completed ? 1 : c.Fraction, c.Deleted, failure), SubjectId: import.Id));

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge import {ImportId} was interrupted (its server stopped or its process died); the batches written before stay")]
    private partial void LogImportInterrupted(Guid importId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Knowledge import {ImportId} failed")]
    private partial void LogImportFailed(Exception ex, Guid importId);
}
