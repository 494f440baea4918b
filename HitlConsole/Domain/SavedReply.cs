namespace HitlConsole.Domain;

/// <summary>
/// A canned answer of the workspace, or of one person in it, in one language, inserted into a reply with "/" or from the picker. Its text may hold
/// placeholders (<c>{{customer_name}}</c>, workspace variables) filled when it is inserted.
/// </summary>
public sealed class SavedReply : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    /// <summary>The short name typed after "/" to find it.</summary>
    public required string Shortcut { get; set; }
    public required string Text { get; set; }
    /// <summary>en or es: the picker offers replies in the customer's language first.</summary>
    public string Language { get; set; } = "en";
    /// <summary>
    /// Null for the workspace's replies (kept by Admins, offered to everyone); a user id for a person's own replies,
    /// offered to them alone. A person's shortcut may repeat one of the workspace's.
    /// </summary>
    public string? OwnerUserId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }
}
