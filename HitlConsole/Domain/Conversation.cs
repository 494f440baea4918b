namespace HitlConsole.Domain;

public enum ConversationStatus { Open, Resolved, Archived }

public enum AiMode { Auto, ReviewEverything, Off }

public sealed class Conversation : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid ChannelId { get; set; }
    public Guid ContactId { get; set; }
    public ConversationStatus Status { get; set; } = ConversationStatus.Open;
    public bool Pinned { get; set; }
    public AiMode AiMode { get; set; } = AiMode.ReviewEverything;
    public string? AssigneeUserId { get; set; }
    /// <summary>The team the conversation belongs to, if any.</summary>
    public Guid? TeamId { get; set; }
    public DateTime LastActivityUtc { get; set; }
    /// <summary>The newest customer message reported to the channel as read (when it was stored): a later one is reported once.</summary>
    public DateTime? ReadMarkedUtc { get; set; }
    public DateTime CreatedUtc { get; set; }
}
