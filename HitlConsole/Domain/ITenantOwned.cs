namespace HitlConsole.Domain;

/// <summary>A row that belongs to one tenant; the data layer filters and stamps it.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}
