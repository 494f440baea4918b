namespace HitlConsole.Domain;

/// <summary>Stored by name; new states are appended. <see cref="DraftState.Handled"/>: closed by a person without sending it.</summary>
public enum DraftState { Generating, Pending, Approved, EditedAndSent, Rejected, Expired, AutoSent, Blocked, Failed, Handled }

public sealed class Draft : ITenantOwned
{
    /// <summary>The classification of a draft the guardrail stopped; it stays after a person answers or closes it.</summary>
    public const string BlockedClassification = "blocked";

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    /// <summary>The inbound message this draft answers; one draft per message.</summary>
    public Guid MessageId { get; set; }
    public string Text { get; set; } = "";
    /// <summary>Suggested replies, JSON array of strings.</summary>
    public string Alternatives { get; set; } = "[]";
    public string? Intent { get; set; }
    public string? Classification { get; set; }
    public int Confidence { get; set; }
    public string? Reasoning { get; set; }
    /// <summary>Knowledge entry ids used, JSON array.</summary>
    public string Sources { get; set; } = "[]";
    public bool OutOfKnowledge { get; set; }
    public bool LowConfidence { get; set; }
    public string? ModelProfile { get; set; }
    public int? ConfigVersion { get; set; }
    public int LatencyMs { get; set; }
    public int PromptTokens { get; set; }
    public int CompletionTokens { get; set; }
    public DraftState State { get; set; }
    public string? StateReason { get; set; }
    public string? ClaimedByUserId { get; set; }
    public DateTime? LeaseExpiresUtc { get; set; }
    /// <summary>
    /// The reviewer's edit as they type it, before it is sent: whoever takes the draft over (or claims it after them)
    /// continues from it instead of the model's text. Null while nobody changed the text.
    /// </summary>
    public string? UnsentText { get; set; }
    /// <summary>Who typed <see cref="UnsentText"/>.</summary>
    public string? UnsentByUserId { get; set; }
    /// <summary>Optimistic concurrency: every state change bumps it, so two approvals send once.</summary>
    public int Version { get; set; }
    /// <summary>Hangfire id of the scheduled auto-send, deleted when a person acts first.</summary>
    public string? AutoSendJobId { get; set; }
    public string? ReviewedByUserId { get; set; }
    /// <summary>What the model proposed, kept when a person changed it before sending (the sent text is <see cref="Text"/>).</summary>
    public string? OriginalText { get; set; }
    /// <summary>Levenshtein distance between the proposal and what was sent; 0 when sent unchanged, null while undecided.</summary>
    public int? EditDistance { get; set; }
    /// <summary>The outbound message that carried this draft, once sent.</summary>
    public Guid? SentMessageId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }
    /// <summary>The knowledge entry an Admin wrote for this draft's knowledge gap; the gap is closed once set.</summary>
    public Guid? GapEntryId { get; set; }

    // Analytics facts, written once so charts group integers instead of converting dates row by row.
    /// <summary>Quarter-hours since 1970-01-01 UTC of the customer's message (every real time zone offset is a multiple of 15 minutes).</summary>
    public long Quarter { get; set; }
    public Guid ChannelId { get; set; }
    /// <summary>Seconds from the customer's message to this draft's reply leaving (approved, edited or auto-sent).</summary>
    public int? ResponseSeconds { get; set; }
}
