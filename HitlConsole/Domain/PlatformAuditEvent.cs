namespace HitlConsole.Domain;

/// <summary>
/// What a platform operator did to a workspace (created, renamed, suspended, deleted, exported). Kept outside the workspace,
/// so the record of a deletion survives the deletion.
/// </summary>
public sealed class PlatformAuditEvent
{
    public long Id { get; set; }
    public string? ActorUserId { get; set; }
    public string? ActorEmail { get; set; }
    public required string Action { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string WorkspaceName { get; set; }
    public string? Detail { get; set; }
    public DateTime AtUtc { get; set; }
}
