namespace HitlConsole.Domain;

/// <summary>
/// One immutable, numbered snapshot of a workspace's agent configuration. The newest version is the one in force;
/// the unique (tenant, number) index is what makes two simultaneous saves collide instead of overwriting each other.
/// </summary>
public sealed class ConfigVersion : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public int Number { get; set; }
    /// <summary>The configuration as JSON (<c>AgentConfigDocument</c>); never changed after insert, never holds secrets.</summary>
    public required string Document { get; set; }
    public required string ContentHash { get; set; }
    public string? Comment { get; set; }
    /// <summary>An optional label ("Black Friday"), editable while the version is not locked.</summary>
    public string? Name { get; set; }
    /// <summary>A locked version keeps its name; while the newest version is locked the configuration is frozen.</summary>
    public bool Locked { get; set; }
    public int? RestoredFrom { get; set; }
    public string? CreatedByUserId { get; set; }
    public string? CreatedByName { get; set; }
    public DateTime CreatedUtc { get; set; }
}
