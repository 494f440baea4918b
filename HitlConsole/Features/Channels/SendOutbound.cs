using HitlConsole.Infrastructure.Observability;
using HitlConsole.Domain;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Features.Channels;

/// <summary>Delivers one queued outbound message through its channel and records the outcome.</summary>
public sealed partial class SendOutbound(
    IDbContextFactory<HitlDbContext> factory, WhatsAppGraphClient graph, ChannelSecrets secrets, LiveFeed feed,
    ILogger<SendOutbound> logger)
{
    public async Task HandleAsync(Guid messageId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var message = await db.Messages.SingleOrDefaultAsync(m => m.Id == messageId, ct);
        if (message is null || message.Direction != MessageDirection.Outbound || message.DeliveryState != DeliveryState.Queued) return;
        var channel = await db.Channels.AsNoTracking().SingleAsync(c => c.Id == message.ChannelId, ct);
        var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == message.ConversationId, ct);
        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, ct);
        var draftId = await db.Drafts.Where(d => d.SentMessageId == message.Id).Select(d => (Guid?)d.Id).SingleOrDefaultAsync(ct);

        if (channel.Kind == ChannelKind.Simulator)
        {
            // The simulator's customer is this app: the reply has arrived as soon as it is sent.
            message.ExternalId = "sim.out." + message.Id.ToString("N");
            message.DeliveryState = DeliveryState.Delivered;
        }
        else
        {
            HitlMetrics.SendAttempts.WithLabels("whatsapp").Inc();
            var result = await graph.SendTextAsync(channel.GraphBaseUrl!, channel.GraphVersion ?? "v21.0", channel.PhoneNumberId!,
                secrets.Unprotect(channel.AccessTokenProtected) ?? "", contact.Address, message.Text ?? "",
                (draftId ?? message.Id).ToString(), ct);
            switch (result)
            {
                case SendResult.Sent sent:
                    message.ExternalId = sent.Wamid;
                    message.DeliveryState = DeliveryState.Sent;
                    break;
                case SendResult.Failed failed:
                    message.DeliveryState = DeliveryState.Failed;
                    message.ErrorCode = failed.Code;
                    message.ErrorTitle = failed.Title;
                    LogSendFailed(message.Id, failed.Code, failed.Transient);
                    HitlMetrics.SendFailures.WithLabels("whatsapp", failed.Code).Inc();
                    break;
            }
        }
        await db.SaveChangesAsync(ct);
        feed.Publish(new LiveEvent(message.TenantId, LiveEventKind.DeliveryChanged, message.ConversationId, message.Id, draftId));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound message {MessageId} failed with code {Code} (transient: {Transient})")]
    private partial void LogSendFailed(Guid messageId, string code, bool transient);
}
