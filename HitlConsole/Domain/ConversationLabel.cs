namespace HitlConsole.Domain;

/// <summary>A label an agent put on a conversation ("refund", "vip"): shown in the contact panel and used to filter the inbox.</summary>
public sealed class ConversationLabel : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    /// <summary>Lower case, no spaces at the ends, at most 40 characters.</summary>
    public required string Name { get; set; }
    public DateTime CreatedUtc { get; set; }
}
