using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// Stores what a channel delivered: new messages (marked as awaiting a draft) and delivery
/// statuses, in one transaction per channel. A wamid already stored is a no-op, also when copies
/// race each other: the unique index decides and the loser retries against what is now there.
/// </summary>
public sealed partial class IngestInbound(
    IServiceScopeFactory scopes, DraftOutbox outbox, LiveFeed feed, TimeProvider clock, ILogger<IngestInbound> logger)
{
    public sealed record Result(int Stored, int Duplicates, int StatusesApplied);

    public async Task<Result> HandleAsync(Guid tenantId, Guid channelId, IReadOnlyList<InboundMessage> messages,
        IReadOnlyList<StatusUpdate> statuses, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (result, events) = await StoreAsync(tenantId, channelId, messages, statuses, ct);
                if (result.Stored > 0) outbox.Signal();
                foreach (var e in events) feed.Publish(e);
                return result;
            }
            catch (DbUpdateException ex) when (attempt < 5 && UniqueViolation.Is(ex))
            {
                // A concurrent copy of the same delivery committed first; what it stored is now skipped.
                LogRaced(attempt);
            }
        }
    }

    private async Task<(Result, List<LiveEvent>)> StoreAsync(Guid tenantId, Guid channelId, IReadOnlyList<InboundMessage> messages,
        IReadOnlyList<StatusUpdate> statuses, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var events = new List<LiveEvent>();

        var ids = messages.Select(m => m.ExternalId).Distinct().ToList();
        var known = (await db.Messages.Where(m => m.ChannelId == channelId && ids.Contains(m.ExternalId!))
            .Select(m => m.ExternalId!).ToListAsync(ct)).ToHashSet();
        var fresh = messages.Where(m => !known.Contains(m.ExternalId)).DistinctBy(m => m.ExternalId).ToList();

        foreach (var byContact in fresh.GroupBy(m => m.From))
        {
            var contact = await db.Contacts.SingleOrDefaultAsync(c => c.ChannelId == channelId && c.Address == byContact.Key, ct);
            if (contact is null)
            {
                contact = new Contact { ChannelId = channelId, Address = byContact.Key, CreatedUtc = now };
                db.Contacts.Add(contact);
            }
            var lastSent = byContact.Max(m => m.SentUtc);
            contact.DisplayName = byContact.Select(m => m.ProfileName).LastOrDefault(n => n is not null) ?? contact.DisplayName;
            if (contact.LastInboundUtc is null || lastSent > contact.LastInboundUtc) contact.LastInboundUtc = lastSent;

            var conversation = await db.Conversations
                .Where(c => c.ContactId == contact.Id && c.Status != ConversationStatus.Archived)
                .OrderByDescending(c => c.LastActivityUtc).FirstOrDefaultAsync(ct);
            if (conversation is null)
            {
                conversation = new Conversation { ChannelId = channelId, ContactId = contact.Id, CreatedUtc = now, LastActivityUtc = now };
                db.Conversations.Add(conversation);
            }
            conversation.Status = ConversationStatus.Open;
            conversation.LastActivityUtc = now;

            foreach (var m in byContact.OrderBy(m => m.SentUtc))
            {
                var message = new Message
                {
                    ChannelId = channelId, ConversationId = conversation.Id, Direction = MessageDirection.Inbound,
                    Author = MessageAuthor.Customer, Type = m.Type, Text = Truncate(m.Text, 8192), MediaId = m.MediaId,
                    Caption = Truncate(m.Caption, 2048), ExternalId = m.ExternalId, SentUtc = m.SentUtc, CreatedUtc = now,
                    AwaitingDraft = NeedsDraft(m),
                };
                db.Messages.Add(message);
                events.Add(new LiveEvent(tenantId, LiveEventKind.MessageReceived, conversation.Id, message.Id));
            }
        }

        var applied = 0;
        foreach (var s in statuses)
        {
            var outbound = await db.Messages.SingleOrDefaultAsync(m => m.ChannelId == channelId && m.ExternalId == s.ExternalId, ct);
            if (outbound is null || !DeliveryStates.CanMove(outbound.DeliveryState, s.State)) continue;
            outbound.DeliveryState = s.State;
            if (s.State == DeliveryState.Failed) { outbound.ErrorCode = s.ErrorCode; outbound.ErrorTitle = Truncate(s.ErrorTitle, 300); }
            applied++;
            events.Add(new LiveEvent(tenantId, LiveEventKind.DeliveryChanged, outbound.ConversationId, outbound.Id));
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (new Result(fresh.Count, messages.Count - fresh.Count, applied), events);
    }

    /// <summary>Reactions, stickers, locations and other non-questions get no draft.</summary>
    internal static bool NeedsDraft(InboundMessage m) =>
        m.Type is "text" or "interactive" or "button" ? !string.IsNullOrWhiteSpace(m.Text)
        : m.Type is "image" or "video" or "document" or "audio" && !string.IsNullOrWhiteSpace(m.Caption);

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Inbound batch raced a concurrent copy (attempt {Attempt}); retrying")]
    private partial void LogRaced(int attempt);
}

internal static class UniqueViolation
{
    /// <summary>SQLite error 19 (constraint) / PostgreSQL 23505 (unique_violation).</summary>
    public static bool Is(DbUpdateException ex) => ex.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19,
        Npgsql.PostgresException p => p.SqlState == "23505",
        _ => false,
    };
}
