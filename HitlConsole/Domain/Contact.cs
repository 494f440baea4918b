namespace HitlConsole.Domain;

public sealed class Contact : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid ChannelId { get; set; }
    /// <summary>wa_id / phone number, or the simulator's "from".</summary>
    public required string Address { get; set; }
    public string? DisplayName { get; set; }
    /// <summary>Drives WhatsApp's 24-hour customer service window.</summary>
    public DateTime? LastInboundUtc { get; set; }
    public DateTime CreatedUtc { get; set; }
}
