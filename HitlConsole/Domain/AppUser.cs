using Microsoft.AspNetCore.Identity;

namespace HitlConsole.Domain;

public sealed class AppUser : IdentityUser, ITenantOwned
{
    public Guid TenantId { get; set; }
    public string DisplayName { get; set; } = "";
    /// <summary>A disabled user cannot sign in and is signed out of open sessions.</summary>
    public bool IsDisabled { get; set; }
    public DateTime CreatedUtc { get; set; }
}
