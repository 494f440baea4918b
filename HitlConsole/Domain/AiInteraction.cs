namespace HitlConsole.Domain;

/// <summary>One model or guardrail decision, for analytics.</summary>
public sealed class AiInteraction : ITenantOwned
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid MessageId { get; set; }
    public Guid? DraftId { get; set; }
    public string Kind { get; set; } = "draft";
    public string? Intent { get; set; }
    public string? Classification { get; set; }
    public int Confidence { get; set; }
    public string Outcome { get; set; } = "";
    public int LatencyMs { get; set; }
    public int Tokens { get; set; }
    public string? Model { get; set; }
    public DateTime CreatedUtc { get; set; }
}
