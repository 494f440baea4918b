namespace HitlConsole.Domain;

public enum ModelProviderKind { BuiltIn, OpenAiCompatible }

/// <summary>A model the tenant can draft with; the routing chain tries profiles by <see cref="ChainOrder"/>.</summary>
public sealed class ModelProfile : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public ModelProviderKind Kind { get; set; }
    public string? BaseUrl { get; set; }
    public string? Model { get; set; }
    /// <summary>Data Protection payload; the plain key never leaves the drafting call.</summary>
    public string? ApiKeyProtected { get; set; }
    /// <summary>Last four characters, for the masked display.</summary>
    public string? ApiKeyHint { get; set; }
    public DateTime? ApiKeySetUtc { get; set; }
    public double Temperature { get; set; } = 0.2;
    public int MaxTokens { get; set; } = 800;
    public int TimeoutSeconds { get; set; } = 30;
    /// <summary>Position in the routing chain (0 = primary); null keeps the profile out of the chain.</summary>
    public int? ChainOrder { get; set; }
    /// <summary>Comma-separated intents this profile answers first, ahead of the chain (per-intent override).</summary>
    public string? PreferredIntents { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }
}
