namespace HitlConsole.Domain;

/// <summary>An internal note of the team on a conversation: shown in the timeline, never sent to the customer or a model.</summary>
public sealed class ConversationNote : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public string? AuthorUserId { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedUtc { get; set; }
}

/// <summary>A member @mentioned in a note: an alert for them until they open the conversation.</summary>
public sealed class NoteMention : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid NoteId { get; set; }
    public Guid ConversationId { get; set; }
    public required string UserId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? SeenUtc { get; set; }
}
