namespace HitlConsole.Domain;

public enum ChannelKind { WhatsAppCloud, Simulator }

/// <summary>Where customers write from. Secrets are stored encrypted (Data Protection), never in clear.</summary>
public sealed class Channel : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public ChannelKind Kind { get; set; }
    public required string Name { get; set; }
    public bool Active { get; set; } = true;

    // WhatsApp Cloud API
    /// <summary>When an agent opens a conversation, tell Meta its customer's messages were read (blue ticks on their phone).</summary>
    public bool MarkReadOnOpen { get; set; }
    /// <summary>Meta's phone_number_id: the webhook routes by it, so it is unique across all tenants.</summary>
    public string? PhoneNumberId { get; set; }
    public string? BusinessAccountId { get; set; }
    public string? GraphBaseUrl { get; set; }
    public string? GraphVersion { get; set; }
    public string? AccessTokenProtected { get; set; }
    public string? AppSecretProtected { get; set; }
    public string? VerifyTokenProtected { get; set; }
    /// <summary>Last four characters of the access token, for the masked display.</summary>
    public string? AccessTokenHint { get; set; }
    public DateTime? AccessTokenSetUtc { get; set; }
    public DateTime? AppSecretSetUtc { get; set; }
    public DateTime? VerifyTokenSetUtc { get; set; }

    // Simulator
    /// <summary>SHA-256 of the simulator API key (the key itself is shown once and not stored).</summary>
    public string? ApiKeyHash { get; set; }
    public DateTime? ApiKeySetUtc { get; set; }

    public DateTime CreatedUtc { get; set; }
}
