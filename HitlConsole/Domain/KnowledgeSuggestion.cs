namespace HitlConsole.Domain;

/// <summary>Where a proposal came from: a draft a person changed before sending, a reply written by hand, or the correction API.</summary>
public enum SuggestionOrigin { Edited, HandWritten, Api }

/// <summary>Stored by name. Proposed waits for an Admin; the others are decided (audited).</summary>
public enum SuggestionState { Proposed, Accepted, Merged, Dismissed }

/// <summary>
/// A correction offered to the knowledge base: the customer's question and the reply a person sent instead of (or without)
/// the draft, with customer-specific parts turned back into placeholders. Agents propose; an Admin (or an agent, where the
/// workspace allows) publishes it as a knowledge entry.
/// </summary>
public sealed class KnowledgeSuggestion : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Question { get; set; }
    public required string Answer { get; set; }
    public string? Intent { get; set; }
    public string Language { get; set; } = "en";
    public SuggestionOrigin Origin { get; set; }
    public SuggestionState State { get; set; }
    /// <summary>What the assistant had proposed and the person replaced; null for a hand-written reply.</summary>
    public string? ReplacedDraft { get; set; }
    public Guid? ConversationId { get; set; }
    /// <summary>The outbound message that carried the corrected reply (one proposal per sent message).</summary>
    public Guid? SentMessageId { get; set; }
    public string? ProposedByUserId { get; set; }
    public string? DecidedByUserId { get; set; }
    public DateTime? DecidedUtc { get; set; }
    /// <summary>The entry it created or was merged into.</summary>
    public Guid? KnowledgeEntryId { get; set; }
    public int Version { get; set; }
    public DateTime CreatedUtc { get; set; }
}
