namespace HitlConsole.Domain;

/// <summary>
/// A WhatsApp message template of the workspace's business account, as last synced from Meta: the only way to write to a
/// customer whose 24-hour window is closed. Sent by people only, never by the AI.
/// </summary>
public sealed class MessageTemplate : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid ChannelId { get; set; }
    /// <summary>Meta's template id.</summary>
    public string? ExternalId { get; set; }
    public required string Name { get; set; }
    /// <summary>Meta's language code: en, en_US, es, es_MX…</summary>
    public required string Language { get; set; }
    /// <summary>MARKETING, UTILITY or AUTHENTICATION.</summary>
    public string? Category { get; set; }
    /// <summary>APPROVED, PENDING, REJECTED, PAUSED, DISABLED…; only APPROVED ones can be sent.</summary>
    public required string Status { get; set; }
    public string? HeaderText { get; set; }
    public string? BodyText { get; set; }
    public string? FooterText { get; set; }
    /// <summary>The parameter slots in order, as JSON: [{"component":"header|body","name":"1|first_name"}].</summary>
    public string Slots { get; set; } = "[]";
    /// <summary>Meta's components as received, for what the console does not render (buttons, media headers).</summary>
    public string Components { get; set; } = "[]";
    public DateTime SyncedUtc { get; set; }
}
