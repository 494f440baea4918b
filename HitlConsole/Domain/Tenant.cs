namespace HitlConsole.Domain;

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
}
