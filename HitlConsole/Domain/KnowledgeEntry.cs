namespace HitlConsole.Domain;

public sealed class KnowledgeEntry : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Question { get; set; }
    public required string Answer { get; set; }
    public string? Category { get; set; }
    public string? Intent { get; set; }
    public string? Tags { get; set; }
    public string Language { get; set; } = "en";
    public bool Active { get; set; } = true;
    /// <summary>
    /// The answer the workspace wants used for its intent: when an entry of the intent asks about as closely as the closest one,
    /// the preferred one drafts the reply (an Admin's own wording over an imported paraphrase list).
    /// </summary>
    public bool Preferred { get; set; }
    public Guid? SourceImportId { get; set; }
    /// <summary>SHA-256 of the normalised question and answer; unique per tenant so re-imports are idempotent.</summary>
    public required string ContentHash { get; set; }
    /// <summary>Sentence embedding of the question (float32 blob); null until the embedding job has seen the entry.</summary>
    public byte[]? Embedding { get; set; }
    /// <summary>Optimistic concurrency: two admins editing the same entry never overwrite each other silently.</summary>
    public int Version { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }
}
