namespace HitlConsole.Domain;

public enum MessageDirection { Inbound, Outbound }

public enum MessageAuthor { Customer, Ai, Agent, System }

public enum DeliveryState { None, Queued, Sent, Delivered, Read, Failed }

public static class DeliveryStates
{
    /// <summary>States only move forward: a late "delivered" never overwrites "read"; a message the customer received cannot fail
    /// afterwards. Failed ends the line.</summary>
    public static bool CanMove(DeliveryState from, DeliveryState to) =>
        from != DeliveryState.Failed && (to == DeliveryState.Failed ? from < DeliveryState.Delivered : to > from);
}

public sealed class Message : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid ChannelId { get; set; }
    public Guid ConversationId { get; set; }
    public MessageDirection Direction { get; set; }
    public MessageAuthor Author { get; set; }
    /// <summary>The person who sent an outbound reply (approved a draft, wrote their own, sent a template); null otherwise.</summary>
    public string? SentByUserId { get; set; }
    public string? Text { get; set; }
    /// <summary>WhatsApp type: text, image, audio, video, document, sticker, location, contacts, interactive, button, reaction, unsupported.</summary>
    public string Type { get; set; } = "text";
    public string? MediaId { get; set; }
    /// <summary>The downloaded file of an inbound media message (<see cref="MediaFile"/>), once stored.</summary>
    public Guid? MediaFileId { get; set; }
    /// <summary>Null for a message without media.</summary>
    public MediaState? MediaState { get; set; }
    public string? Caption { get; set; }
    /// <summary>Detected language of an inbound text (en, es) when its draft was made; null until then and for outbound messages.</summary>
    public string? Language { get; set; }
    /// <summary>wamid; unique per channel, so a repeated delivery is a no-op.</summary>
    public string? ExternalId { get; set; }
    public DeliveryState DeliveryState { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorTitle { get; set; }
    /// <summary>For an outbound template message: the template, its language and the parameter values, as JSON
    /// (<c>{"name","language","parameters":[{"component","name","text"}]}</c>); <see cref="Text"/> holds the rendered message.</summary>
    public string? Template { get; set; }
    /// <summary>How many times the send job called the channel for this outbound message (each one is a <see cref="SendAttempt"/>).</summary>
    public int SendAttempts { get; set; }
    /// <summary>When a retryable failure will be tried again; null when no retry is waiting.</summary>
    public DateTime? NextAttemptUtc { get; set; }
    /// <summary>When a send job claimed the attempt under way; cleared when the attempt is recorded. While it is recent no other
    /// job calls the channel for this message; an older one belongs to a process that stopped mid-call.</summary>
    public DateTime? SendClaimedUtc { get; set; }
    /// <summary>When the customer sent it (WhatsApp's Unix timestamp) or when we sent it.</summary>
    public DateTime SentUtc { get; set; }
    public DateTime CreatedUtc { get; set; }

    // Outbox for drafting: set on arrival, cleared when a draft exists.
    public bool AwaitingDraft { get; set; }
    /// <summary>A reviewer's hint for the next draft of this message (regenerate with instruction); cleared once used.</summary>
    public string? DraftInstruction { get; set; }
    /// <summary>An Admin judged the guardrail's block a false positive: the next draft of this message skips the pre-scan once.</summary>
    public bool GuardrailReleased { get; set; }
    /// <summary>When a dispatcher handed the message to a draft job; null = not yet.</summary>
    public DateTime? DraftDispatchedUtc { get; set; }
    /// <summary>The draft job handed this message; a stale claim whose job is still waiting or running is not lost.</summary>
    public string? DraftJobId { get; set; }
    /// <summary>W3C traceparent of the request that stored the message: its draft job and model call join that trace.</summary>
    public string? TraceParent { get; set; }
}
