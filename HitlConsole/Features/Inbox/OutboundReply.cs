using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Inbox.Attachments;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// The outbound messages of one reply. Text only: one text message. With an attachment: one image or document message with the
/// text as its caption — or, when the text is longer than WhatsApp's caption limit (1024 characters), the text as its own
/// message first and then the file without a caption (so nothing is cut; docs/operations.md). The send of the file waits for
/// the send of the text (<see cref="SendMessageJob.EnqueueInOrder"/>), so the customer reads them in that order.
/// </summary>
public static class OutboundReply
{
    /// <summary>WhatsApp's limit for the caption of an image or a document.</summary>
    public const int MaxCaptionLength = 1024;

    /// <summary>The messages to store, the one carrying the text first; null when the attachment is not a file of this workspace.</summary>
    /// <param name="sentBy">The person sending it; null for the auto-send job.</param>
    public static async Task<List<Message>?> ComposeAsync(HitlDbContext db, Guid channelId, Guid conversationId, MessageAuthor author, string? sentBy,
        string text, Guid? attachmentId, DateTime now, CancellationToken ct)
    {
        Message Make(string type, string? body, DateTime at) => new()
        {
            ChannelId = channelId, ConversationId = conversationId, Direction = MessageDirection.Outbound, Author = author, SentByUserId = sentBy,
            Text = body, Type = type, DeliveryState = DeliveryState.Queued, SentUtc = at, CreatedUtc = at,
        };
        if (attachmentId is not { } fileId) return [Make("text", text, now)];

        var contentType = await db.MediaFiles.AsNoTracking().Where(f => f.Id == fileId).Select(f => f.ContentType).SingleOrDefaultAsync(ct);
        if (contentType is null) return null;
        var separate = text.Length > MaxCaptionLength;
        var media = Make(AttachFile.KindOf(contentType), separate || text.Length == 0 ? null : text, separate ? now.AddMilliseconds(1) : now);
        media.MediaFileId = fileId;
        media.MediaState = MediaState.Stored;
        return separate ? [Make("text", text, now), media] : [media];
    }
}
