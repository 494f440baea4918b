namespace HitlConsole.Domain;

/// <summary>What became of an inbound message's media: waiting for the download job, kept, or refused (and why).</summary>
public enum MediaState { Pending, Stored, TooLarge, TypeRefused, Failed }

/// <summary>
/// A file a customer sent, downloaded from Meta once and kept in the workspace's database (ADR 0017). Stored by content:
/// the same bytes sent twice, or a download job that ran twice, are one row.
/// </summary>
public sealed class MediaFile : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    /// <summary>SHA-256 of <see cref="Content"/>, lower-case hex; checked against the checksum Meta announced.</summary>
    public required string Sha256 { get; set; }
    public required string ContentType { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>A document's file name as the customer's phone gave it.</summary>
    public string? FileName { get; set; }
    public required byte[] Content { get; set; }
    public DateTime CreatedUtc { get; set; }
}
