namespace HitlConsole.Domain;

/// <summary>A workspace: one team's knowledge, channels, conversations and users.</summary>
public sealed class Tenant
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    /// <summary>UI culture for users who have not chosen one: "en" or "es".</summary>
    public string DefaultCulture { get; set; } = "en";
    /// <summary>IANA time zone used for dates and analytics.</summary>
    public string TimeZone { get; set; } = "UTC";
    public int DraftTtlHours { get; set; } = 24;
    public DateTime CreatedUtc { get; set; }

    /// <summary>A suspended workspace keeps its data but nobody works in it: sessions end, inbound is refused, jobs skip it.</summary>
    public bool IsSuspended { get; set; }

    /// <summary>Limits set by the platform operator; null is unlimited.</summary>
    public int? MaxUsers { get; set; }
    public int? MaxKnowledgeEntries { get; set; }
    public int? MaxMessagesPerDay { get; set; }

    /// <summary>Agents may publish their corrections as knowledge themselves; otherwise an Admin accepts them.</summary>
    public bool AgentsPublishKnowledge { get; set; }

    /// <summary>New conversations go to the next available member in turn, or wait unassigned.</summary>
    public AutoAssignMode AutoAssignMode { get; set; }
    /// <summary>Most open conversations automatic assignment gives one person.</summary>
    public int AutoAssignCap { get; set; } = 10;
    /// <summary>When set, only this team's members receive new conversations, and the conversations join the team.</summary>
    public Guid? AutoAssignTeamId { get; set; }
    /// <summary>The round robin's cursor: who received the last conversation (updated in the same transaction).</summary>
    public string? AutoAssignLastUserId { get; set; }
}
