namespace HitlConsole.Domain;

/// <summary>A group of the workspace's people who share conversations (billing, returns, Spanish desk…).</summary>
public sealed class Team : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedUtc { get; set; }
}

/// <summary>A workspace member in a team; a lead may hand the team's conversations to anyone in the team.</summary>
public sealed class TeamMember : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid TeamId { get; set; }
    public required string UserId { get; set; }
    public bool IsLead { get; set; }
    public DateTime CreatedUtc { get; set; }
}

/// <summary>How new conversations of a workspace find an owner.</summary>
public enum AutoAssignMode { Off, RoundRobin }
