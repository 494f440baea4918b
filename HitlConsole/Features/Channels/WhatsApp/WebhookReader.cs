using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Media;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Channels.WhatsApp;

/// <summary>
/// Reads the deliveries <see cref="WebhookLog"/> appended, oldest first and in batches: parses each, stores its messages
/// and statuses through <see cref="IngestInbound"/> (which skips a wamid already stored), then removes it. A crash between
/// storing and removing only means the delivery is read again, and reading it again changes nothing. On PostgreSQL each
/// batch is locked (<c>FOR UPDATE SKIP LOCKED</c>) until it is removed, so several instances read different deliveries.
/// </summary>
public sealed partial class WebhookReader(
    DeliveryLogDatabase database, WebhookLog log, WhatsAppChannelDirectory channels, IngestInbound ingest, MediaDownloads media,
    DraftingThreads threads, IOptions<PipelineOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<WebhookReader> logger) : SignalledSweeper(lifetime)
{
    /// <summary>Deliveries read per pass; the ingest writer stores them in transactions of its own batch size.</summary>
    private const int BatchSize = 256;

    /// <summary>A delivery that failed this many times is set aside instead of being read again.</summary>
    public const int MaxAttempts = 5;

    protected override TimeSpan SweepInterval => options.Value.SweepInterval;

    /// <summary>The first pass reads what a stopped or killed process acknowledged and had not read yet.</summary>
    protected override Task SweepAsync(CancellationToken ct) => ReadAllAsync(ct);

    protected override Task WaitForSignalAsync(TimeSpan timeout, CancellationToken ct) => log.WaitForAppendsAsync(timeout, ct);

    /// <summary>Reads until nothing is left, or until a batch had a failure (retried on the next signal or sweep).</summary>
    public async Task ReadAllAsync(CancellationToken ct)
    {
        var appended = log.Appended;
        while (true)
        {
            var (read, failed) = await ReadBatchAsync(ct);
            if (failed > 0) return;
            if (read < BatchSize) break;
        }
        log.MarkRead(appended);
    }

    private async Task<(int Read, int Failed)> ReadBatchAsync(CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var postgres = db.Database.IsNpgsql();
        // PostgreSQL: the batch's rows stay locked, and invisible to other instances' readers, until this transaction ends.
        await using var tx = postgres ? await db.Database.BeginTransactionAsync(ct) : null;
        var rows = postgres
            ? await db.Deliveries.FromSqlRaw(
                    """SELECT * FROM "WebhookDeliveries" WHERE "GaveUpUtc" IS NULL ORDER BY "Id" LIMIT {0} FOR UPDATE SKIP LOCKED""", BatchSize)
                .AsNoTracking().ToListAsync(ct)
            : await db.Deliveries.AsNoTracking().Where(d => d.GaveUpUtc == null).OrderBy(d => d.Id).Take(BatchSize).ToListAsync(ct);
        if (rows.Count == 0) return (0, 0);

        var known = (await channels.GetAsync(ct)).ToDictionary(c => c.ChannelId);
        // Parsing and storing run below request priority (the drafting threads, ADR 0024): what the webhook acknowledged is
        // safe in the log, so a burst is stored as the cores allow instead of slowing the next webhooks' answers.
        // RunAsync resumes its caller on the single drafting-store thread; the rest of the pass (announcing, media, the
        // log's delete) goes back to the thread pool, so the drafts' writes queued on that thread do not wait behind it.
        var (parts, announce) = await threads.RunAsync(() => StoreAllAsync(rows, known), ct).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        announce(); // at the app's priority
        var stored = await Task.WhenAll(parts.Select(p => FinishAsync(p, ct)));
        var done = parts.Where((_, i) => stored[i]).Select(p => p.Row.Id).ToList();
        var failed = parts.Where((_, i) => !stored[i]).Select(p => p.Row.Id).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        using (await SqliteWriteGate.EnterAsync(db.Database, ct))
        {
            if (done.Count > 0) await db.Deliveries.Where(d => done.Contains(d.Id)).ExecuteDeleteAsync(ct);
            if (failed.Count > 0)
                await db.Deliveries.Where(d => failed.Contains(d.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                    .SetProperty(d => d.GaveUpUtc, d => d.Attempts + 1 >= MaxAttempts ? now : (DateTime?)null), ct);
        }
        if (tx is not null) await tx.CommitAsync(ct);
        foreach (var row in rows.Where(r => failed.Contains(r.Id) && r.Attempts + 1 >= MaxAttempts)) LogGaveUp(row.Id, MaxAttempts);
        return (rows.Count, failed.Count);
    }

    /// <summary>A delivery's channel parts as they were handed to the store, and what each became.</summary>
    private sealed record RowParts(WebhookDelivery Row, IReadOnlyList<(WhatsAppChannelDirectory.Entry Channel, IngestInbound.Part Part, Task<IngestInbound.Result> Stored)> Parts);

    private async Task<(IReadOnlyList<RowParts>, Action)> StoreAllAsync(IReadOnlyList<WebhookDelivery> rows,
        Dictionary<Guid, WhatsAppChannelDirectory.Entry> known)
    {
        var planned = rows.Select(r => (Row: r, Parts: Plan(r, known))).ToList();
        var all = planned.SelectMany(p => p.Parts.Select(x => x.Part)).ToList();
        var (results, announce) = await ingest.StoreNowAsync(all);
        var next = 0;
        var rowParts = planned.Select(p => new RowParts(p.Row, p.Parts.Select(x => (x.Channel, x.Part, results[next++])).ToList())).ToList();
        return (rowParts, announce);
    }

    /// <summary>The delivery's messages and statuses per signing channel; nothing for a body that does not parse.</summary>
    private List<(WhatsAppChannelDirectory.Entry Channel, IngestInbound.Part Part)> Plan(WebhookDelivery row, Dictionary<Guid, WhatsAppChannelDirectory.Entry> known)
    {
        ParsedNotification parsed;
        try { parsed = WhatsAppPayload.Parse(row.Body, row.ReceivedUtc); }
        catch (JsonException)
        {
            // The webhook checks the syntax before it appends; a body that still does not parse never will.
            LogUnreadable(row.Id);
            return [];
        }
        if (parsed.Repaired) LogRepaired();
        if (parsed.Clamped > 0) LogClamped(parsed.Clamped);
        if (parsed.Skipped > 0) LogSkipped(parsed.Skipped);

        var signers = row.SigningChannels().Select(id => known.GetValueOrDefault(id)).OfType<WhatsAppChannelDirectory.Entry>()
            .DistinctBy(c => c.PhoneNumberId).ToDictionary(c => c.PhoneNumberId);
        var parts = new List<(WhatsAppChannelDirectory.Entry, IngestInbound.Part)>();
        foreach (var phone in parsed.Messages.Select(m => m.PhoneNumberId).Concat(parsed.Statuses.Select(s => s.PhoneNumberId)).Distinct())
        {
            if (!signers.TryGetValue(phone, out var channel))
            {
                LogUnknownNumber(phone);
                continue;
            }
            // The messages keep the webhook request's span, so their draft jobs join the same trace.
            parts.Add((channel, new IngestInbound.Part(channel.TenantId, channel.ChannelId, ChannelKind.WhatsAppCloud,
                parsed.Messages.Where(m => m.PhoneNumberId == phone).ToList(), parsed.Statuses.Where(s => s.PhoneNumberId == phone).ToList(),
                row.TraceParent)));
        }
        return parts;
    }

    /// <returns>False when the delivery should be read again later.</returns>
    private async Task<bool> FinishAsync(RowParts row, CancellationToken ct)
    {
        // Under the webhook request's span, so what is logged about the delivery carries its trace.
        using var span = Tracing.StartUnder("whatsapp.read", row.Row.TraceParent, System.Diagnostics.ActivityKind.Consumer);
        try
        {
            foreach (var (channel, part, stored) in row.Parts)
            {
                var result = await stored;
                LogStored(channel.ChannelId, result.Stored, result.Duplicates, result.StatusesApplied);
                await media.EnqueueAsync(channel.TenantId, channel.ChannelId,
                    part.Messages.Where(m => m.MediaId is not null).Select(m => m.ExternalId).ToList(), ct);
            }
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && !DatabaseUnavailable.Is(ex))
        {
            LogStoreFailed(ex, row.Row.Id, row.Row.Attempts + 1);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading WhatsApp deliveries failed; retrying on the next signal or sweep")]
    protected override partial void LogSweepFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing WhatsApp delivery {DeliveryId} failed (attempt {Attempt})")]
    private partial void LogStoreFailed(Exception ex, long deliveryId, int attempt);

    [LoggerMessage(Level = LogLevel.Critical, Message = "WhatsApp delivery {DeliveryId} failed {Attempts} times and was set aside (WebhookDeliveries.GaveUpUtc)")]
    private partial void LogGaveUp(long deliveryId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp delivery {DeliveryId} is not JSON and was dropped")]
    private partial void LogUnreadable(long deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp notification for unknown phone number id {PhoneNumberId} acknowledged and ignored")]
    private partial void LogUnknownNumber(string phoneNumberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp channel {ChannelId}: {Stored} new messages, {Duplicates} duplicates, {Statuses} statuses applied")]
    private partial void LogStored(Guid channelId, int stored, int duplicates, int statuses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp notification was not valid UTF-8; broken bytes were read as U+FFFD")]
    private partial void LogRepaired();

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp notification had {Clamped} messages with an implausible timestamp; bounded to the receive time")]
    private partial void LogClamped(int clamped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp notification had {Skipped} malformed parts; the rest was stored")]
    private partial void LogSkipped(int skipped);
}
