namespace HitlConsole.Domain;

/// <summary>
/// A user's place in one workspace: the role they have there. A user may belong to several workspaces with a different
/// role in each; the session works in one of them at a time (the tenant claim on the cookie).
/// </summary>
public sealed class WorkspaceMember : ITenantOwned
{
    public Guid TenantId { get; set; }
    public required string UserId { get; set; }
    public required string Role { get; set; }
    /// <summary>Disabled by the workspace's Admin: no sign-in to this workspace; other workspaces are untouched.</summary>
    public bool IsDisabled { get; set; }
    public DateTime CreatedUtc { get; set; }
    /// <summary>The person said they are away: automatic assignment passes them by until they say they are back.</summary>
    public bool Away { get; set; }
    /// <summary>Last time one of their consoles was used; idle longer than the configured minutes counts as away.</summary>
    public DateTime? LastActiveUtc { get; set; }
}
