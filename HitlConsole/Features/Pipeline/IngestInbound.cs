using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using HitlConsole.Infrastructure.Live;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// Stores what a channel delivered: new messages (marked as awaiting a draft) and delivery
/// statuses. A wamid already stored is a no-op, also when copies race each other: the unique index
/// decides and the loser retries against what is now there.
/// <para>
/// Group commit: deliveries arriving together are queued and one writer stores them in a single transaction per
/// workspace, then answers each caller. A caller gets its answer only after its messages are committed (the simulator
/// answers the person who typed only then; WhatsApp deliveries come from the webhook's log, ADR 0025), but a burst pays for
/// one transaction instead of one per delivery — on SQLite, with a single writer per file, that is what bounds ingest
/// (docs/performance.md, ADR 0010).
/// </para>
/// </summary>
public sealed partial class IngestInbound(
    IServiceScopeFactory scopes, DraftOutbox outbox, LiveFeed feed, TimeProvider clock, IOptions<TeamOptions> team, ILogger<IngestInbound> logger) : IDisposable
{
    /// <summary>Most deliveries stored in one transaction; bounds how long the first one in a batch waits.</summary>
    private const int MaxBatch = 64;

    public sealed record Result(int Stored, int Duplicates, int StatusesApplied);

    /// <param name="TraceParent">The request's span: the message keeps it so its draft job joins the same trace.</param>
    private sealed record Delivery(Guid TenantId, Guid ChannelId, ChannelKind Kind, IReadOnlyList<InboundMessage> Messages,
        IReadOnlyList<StatusUpdate> Statuses, string? TraceParent)
    {
        public TaskCompletionSource<Result> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly System.Threading.Channels.Channel<Delivery> _queue =
        System.Threading.Channels.Channel.CreateUnbounded<Delivery>(new() { SingleReader = true });
    private int _writerStarted;

    /// <summary>The one loop that stores deliveries; started by the first webhook, ended by <see cref="Dispose"/>.</summary>
    internal Task Writer { get; private set; } = Task.CompletedTask;

    public async Task<Result> HandleAsync(Guid tenantId, Guid channelId, ChannelKind kind, IReadOnlyList<InboundMessage> messages,
        IReadOnlyList<StatusUpdate> statuses, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _writerStarted, 1) == 0) Writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        var delivery = new Delivery(tenantId, channelId, kind, messages, statuses, Tracing.CurrentParent);
        if (!_queue.Writer.TryWrite(delivery)) throw new ObjectDisposedException(nameof(IngestInbound));
        // Once queued the delivery is stored even if this caller gives up: a retried webhook finds it and is a no-op.
        return await delivery.Done.Task.WaitAsync(ct);
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await WriteBatchesAsync();
        }
        catch (Exception ex)
        {
            // Nothing would store deliveries any more: say so, and refuse new ones instead of leaving their senders waiting.
            LogWriterStopped(ex);
            _queue.Writer.TryComplete(ex);
        }
    }

    /// <summary>What <see cref="StoreNowAsync"/> stores: one channel's part of a delivery.</summary>
    public sealed record Part(Guid TenantId, Guid ChannelId, ChannelKind Kind, IReadOnlyList<InboundMessage> Messages,
        IReadOnlyList<StatusUpdate> Statuses, string? TraceParent);

    /// <summary>
    /// Stores <paramref name="parts"/> on the calling thread, in transactions of up to <see cref="MaxBatch"/>, instead of
    /// handing them to the writer loop: the webhook's reader calls it from threads below request priority, so storing a
    /// burst behind the webhook's answer does not take the cores from the next requests (ADR 0025).
    /// </summary>
    /// <returns>
    /// Each part's result, or its failure, in order; they complete when <c>Announce</c> is called. The caller calls it from a
    /// thread at the app's own priority: it publishes the live events, wakes the draft outbox and resumes whoever waits, and a
    /// thread the thread pool starts on behalf of a low-priority thread would keep its nice value for life.
    /// </returns>
    public async Task<(IReadOnlyList<Task<Result>> Results, Action Announce)> StoreNowAsync(IReadOnlyList<Part> parts)
    {
        var deliveries = parts.Select(p => new Delivery(p.TenantId, p.ChannelId, p.Kind, p.Messages, p.Statuses, p.TraceParent)).ToList();
        var announce = new List<Action>();
        foreach (var chunk in deliveries.Chunk(MaxBatch)) announce.Add(await StoreBatchAsync(chunk));
        return (deliveries.Select(d => d.Done.Task).ToList(), () => announce.ForEach(a => a()));
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<Delivery>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            (await StoreBatchAsync(batch))();
            batch.Clear();
        }
    }

    /// <summary>One transaction per workspace.</summary>
    /// <returns>What announces the outcome: live events, the outbox's signal, and every delivery's result or failure.</returns>
    private async Task<Action> StoreBatchAsync(IReadOnlyList<Delivery> batch)
    {
        var announce = new List<Action>();
        foreach (var workspace in batch.GroupBy(d => d.TenantId))
        {
            var deliveries = workspace.ToList();
            try
            {
                announce.Add(await StoreTogetherAsync(workspace.Key, deliveries));
            }
            catch (Exception ex) when (deliveries.Count > 1)
            {
                // One bad delivery (or a race with another instance) must not fail the others: store them one by one.
                LogBatchFallback(ex, deliveries.Count);
                foreach (var d in deliveries) announce.Add(await StoreAloneAsync(d));
            }
            catch (Exception ex)
            {
                announce.Add(() => deliveries[0].Done.TrySetException(ex));
            }
        }
        return () => announce.ForEach(a => a());
    }

    private async Task<Action> StoreAloneAsync(Delivery delivery)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StoreTogetherAsync(delivery.TenantId, [delivery]);
            }
            catch (DbUpdateException ex) when (attempt < 5 && UniqueViolation.Is(ex))
            {
                // A concurrent copy of the same delivery committed first; what it stored is now skipped.
                LogRaced(attempt);
            }
            catch (Exception ex)
            {
                return () => delivery.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>One transaction for the workspace's deliveries; callers are answered only after the commit.</summary>
    /// <returns>What announces the stored deliveries once called (see <see cref="StoreNowAsync"/>).</returns>
    private async Task<Action> StoreTogetherAsync(Guid tenantId, IReadOnlyList<Delivery> deliveries)
    {
        var ct = CancellationToken.None;
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var results = new List<(Result Result, List<LiveEvent> Events, List<string> FreshTypes)>(deliveries.Count);
        using (await SqliteWriteGate.EnterAsync(db.Database, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var allowance = await WorkspaceAllowance.ReadAsync(db, tenantId, now, ct);
            var roundRobin = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.AutoAssignMode).SingleAsync(ct) == AutoAssignMode.RoundRobin;
            var known = await KnownRows.ReadAsync(db, deliveries, ct);
            foreach (var d in deliveries)
                results.Add(await StoreAsync(db, tenantId, d, known, now, allowance, roundRobin ? team.Value.IdleAway : null, ct));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return () =>
        {
            if (results.Any(r => r.Result.Stored > 0)) outbox.Signal();
            for (var i = 0; i < deliveries.Count; i++)
            {
                CountStored(deliveries[i].Kind, results[i].Result, results[i].FreshTypes);
                foreach (var e in results[i].Events) feed.Publish(e);
                deliveries[i].Done.TrySetResult(results[i].Result);
            }
        };
    }

    /// <summary>
    /// What a batch's deliveries refer to, read with one query per kind and channel rather than one per message: wamids
    /// already stored, the senders' contacts and their open conversations, the outbound messages that statuses name.
    /// Deliveries of the batch add to it as they are stored, so a later one sees an earlier one's contact and messages.
    /// </summary>
    private sealed class KnownRows
    {
        public HashSet<(Guid Channel, string ExternalId)> Stored { get; } = [];
        public Dictionary<(Guid Channel, string Address), Contact> Contacts { get; } = [];
        public Dictionary<Guid, Conversation> OpenByContact { get; } = [];
        public Dictionary<(Guid Channel, string ExternalId), Message> Outbound { get; } = [];

        public static async Task<KnownRows> ReadAsync(HitlDbContext db, IReadOnlyList<Delivery> deliveries, CancellationToken ct)
        {
            var known = new KnownRows();
            foreach (var channel in deliveries.GroupBy(d => d.ChannelId))
            {
                var channelId = channel.Key;
                var ids = channel.SelectMany(d => d.Messages).Select(m => m.ExternalId).Distinct().ToList();
                if (ids.Count > 0)
                    foreach (var id in await db.Messages.Where(m => m.ChannelId == channelId && ids.Contains(m.ExternalId!)).Select(m => m.ExternalId!).ToListAsync(ct))
                        known.Stored.Add((channelId, id));

                var senders = channel.SelectMany(d => d.Messages).Where(m => !known.Stored.Contains((channelId, m.ExternalId)))
                    .Select(m => m.From).Distinct().ToList();
                if (senders.Count > 0)
                {
                    var contacts = await db.Contacts.Where(c => c.ChannelId == channelId && senders.Contains(c.Address)).ToListAsync(ct);
                    foreach (var c in contacts) known.Contacts[(channelId, c.Address)] = c;
                    var contactIds = contacts.Select(c => c.Id).ToList();
                    if (contactIds.Count > 0)
                        foreach (var open in (await db.Conversations.Where(c => contactIds.Contains(c.ContactId) && c.Status != ConversationStatus.Archived)
                                     .ToListAsync(ct)).GroupBy(c => c.ContactId))
                            known.OpenByContact[open.Key] = open.MaxBy(c => c.LastActivityUtc)!;
                }

                var statusIds = channel.SelectMany(d => d.Statuses).Select(s => s.ExternalId).Distinct().ToList();
                if (statusIds.Count > 0)
                    foreach (var m in await db.Messages.Where(m => m.ChannelId == channelId && statusIds.Contains(m.ExternalId!)).ToListAsync(ct))
                        known.Outbound[(channelId, m.ExternalId!)] = m;
            }
            return known;
        }
    }

    /// <summary>One delivery inside the batch's transaction, against what the batch has read and stored so far.</summary>
    /// <param name="idleAway">Set when the workspace assigns new conversations in turn.</param>
    private static async Task<(Result, List<LiveEvent>, List<string>)> StoreAsync(HitlDbContext db, Guid tenantId, Delivery delivery, KnownRows known,
        DateTime now, WorkspaceAllowance allowance, TimeSpan? idleAway, CancellationToken ct)
    {
        var events = new List<LiveEvent>();
        var (channelId, messages, statuses) = (delivery.ChannelId, delivery.Messages, delivery.Statuses);

        var fresh = messages.Where(m => !known.Stored.Contains((channelId, m.ExternalId))).DistinctBy(m => m.ExternalId).ToList();
        foreach (var m in fresh) known.Stored.Add((channelId, m.ExternalId));

        foreach (var byContact in fresh.GroupBy(m => m.From))
        {
            if (!known.Contacts.TryGetValue((channelId, byContact.Key), out var contact))
            {
                contact = new Contact { ChannelId = channelId, Address = byContact.Key, CreatedUtc = now };
                db.Contacts.Add(contact);
                known.Contacts[(channelId, byContact.Key)] = contact;
            }
            var lastSent = byContact.Max(m => m.SentUtc);
            contact.DisplayName = byContact.Select(m => m.ProfileName).LastOrDefault(n => n is not null) ?? contact.DisplayName;
            if (contact.LastInboundUtc is null || lastSent > contact.LastInboundUtc) contact.LastInboundUtc = lastSent;

            if (!known.OpenByContact.TryGetValue(contact.Id, out var conversation))
            {
                conversation = new Conversation { ChannelId = channelId, ContactId = contact.Id, CreatedUtc = now, LastActivityUtc = now };
                db.Conversations.Add(conversation);
                known.OpenByContact[contact.Id] = conversation;
                if (idleAway is { } away && await AssignAutomatically.TryAssignAsync(db, tenantId, conversation, now, away, ct) is { } assigned)
                    events.Add(assigned);
            }
            conversation.Status = ConversationStatus.Open;
            conversation.LastActivityUtc = now;

            foreach (var m in byContact.OrderBy(m => m.SentUtc))
            {
                var message = new Message
                {
                    ChannelId = channelId, ConversationId = conversation.Id, Direction = MessageDirection.Inbound,
                    Author = MessageAuthor.Customer, Type = m.Type, Text = Truncate(CardNumbers.Mask(m.Text), 8192), MediaId = m.MediaId,
                    MediaState = m.MediaId is null ? null : MediaState.Pending,
                    Caption = Truncate(CardNumbers.Mask(m.Caption), 2048), ExternalId = m.ExternalId, SentUtc = m.SentUtc, CreatedUtc = now,
                    AwaitingDraft = NeedsDraft(m) && allowance.TryTake(), TraceParent = delivery.TraceParent,
                };
                db.Messages.Add(message);
                events.Add(new LiveEvent(tenantId, LiveEventKind.MessageReceived, conversation.Id, message.Id));
            }
        }

        var applied = 0;
        foreach (var s in statuses)
        {
            if (!known.Outbound.TryGetValue((channelId, s.ExternalId), out var outbound) || !DeliveryStates.CanMove(outbound.DeliveryState, s.State)) continue;
            outbound.DeliveryState = s.State;
            if (s.State == DeliveryState.Failed) { outbound.ErrorCode = s.ErrorCode; outbound.ErrorTitle = Truncate(s.ErrorTitle, 300); }
            applied++;
            events.Add(new LiveEvent(tenantId, LiveEventKind.DeliveryChanged, outbound.ConversationId, outbound.Id));
        }

        return (new Result(fresh.Count, messages.Count - fresh.Count, applied), events, fresh.Select(m => m.Type).ToList());
    }

    public void Dispose() => _queue.Writer.TryComplete();

    /// <summary>Counted after the commit, so a rolled-back batch retried one by one is not counted twice.</summary>
    private static void CountStored(ChannelKind kind, Result result, List<string> freshTypes)
    {
        var channel = kind == ChannelKind.Simulator ? "simulator" : "whatsapp";
        if (result.Duplicates > 0) HitlMetrics.WebhookDuplicates.WithLabels(channel).Inc(result.Duplicates);
        foreach (var type in freshTypes.GroupBy(t => t)) HitlMetrics.InboundMessages.WithLabels(channel, type.Key).Inc(type.Count());
    }

    /// <summary>Reactions, stickers, locations and other non-questions get no draft. A photo, voice note, video or document does,
    /// caption or not: without one the draft is a neutral question about what the customer needs.</summary>
    internal static bool NeedsDraft(InboundMessage m) =>
        m.Type is "text" or "interactive" or "button" ? !string.IsNullOrWhiteSpace(m.Text)
        : m.Type is "image" or "video" or "document" or "audio";

    /// <summary>Cut at <paramref name="max"/> characters, never between the halves of a surrogate pair (PostgreSQL's encoder refuses half an emoji).</summary>
    internal static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..(char.IsHighSurrogate(s[max - 1]) ? max - 1 : max)];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Inbound batch raced a concurrent copy (attempt {Attempt}); retrying")]
    private partial void LogRaced(int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} deliveries together failed; storing them one by one")]
    private partial void LogBatchFallback(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The inbound writer stopped; webhooks are refused until the app restarts")]
    private partial void LogWriterStopped(Exception ex);
}
