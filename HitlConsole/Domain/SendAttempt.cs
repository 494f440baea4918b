namespace HitlConsole.Domain;

/// <summary>One call to the channel for an outbound message: what Meta answered and whether another try follows.</summary>
public sealed class SendAttempt : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid MessageId { get; set; }
    /// <summary>1 for the first call.</summary>
    public int Number { get; set; }
    public DateTime AttemptedUtc { get; set; }
    /// <summary>Which call of the attempt answered: <c>upload</c> (an attachment sent to Meta's media endpoint) or <c>send</c>
    /// (the message itself); null for attempts recorded before attachments existed, which were all sends.</summary>
    public string? Step { get; set; }
    public bool Succeeded { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorTitle { get; set; }
    /// <summary>When the next try is scheduled; null when this attempt ended the line (sent, permanent error, attempts used up).</summary>
    public DateTime? NextAttemptUtc { get; set; }
}
