namespace HitlConsole.Domain;

/// <summary>
/// A signed WhatsApp notification as it arrived, appended before the webhook answers and removed once its messages and
/// statuses are stored (ADR 0025). Not owned by one workspace: until the body is read, the delivery belongs to every
/// channel whose secret signed it.
/// </summary>
public sealed class WebhookDelivery
{
    /// <summary>Arrival order: deliveries are read back oldest first.</summary>
    public long Id { get; set; }
    public byte[] Body { get; set; } = [];
    /// <summary>The channels whose app secret matched the signature, comma-separated ids (<see cref="SigningChannels"/>).</summary>
    public string SignedBy { get; set; } = "";

    public static string JoinSigners(IEnumerable<Guid> channelIds) => string.Join(',', channelIds);

    /// <summary>The ids in <see cref="SignedBy"/>; anything that is not an id is skipped.</summary>
    public IEnumerable<Guid> SigningChannels() =>
        SignedBy.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty);
    public DateTime ReceivedUtc { get; set; }
    /// <summary>The request's span, so the stored messages and their drafts join the webhook's trace.</summary>
    public string? TraceParent { get; set; }
    /// <summary>Times reading this delivery failed; after <c>WebhookLog.MaxAttempts</c> it is set aside (<see cref="GaveUpUtc"/>).</summary>
    public int Attempts { get; set; }
    /// <summary>Set when the delivery failed too often to be read: kept for a person to look at, never read again.</summary>
    public DateTime? GaveUpUtc { get; set; }
}
