using Microsoft.AspNetCore.Identity;

namespace HitlConsole.Domain;

/// <summary>
/// A person's sign-in. Not owned by a workspace: what they may do in each workspace is their <see cref="WorkspaceMember"/> row.
/// </summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>The workspace the user last worked in, opened at the next sign-in; null when they belong to none.</summary>
    public Guid? TenantId { get; set; }
    public string DisplayName { get; set; } = "";
    /// <summary>The UI language the user chose on their profile (en, es); set as the culture cookie at sign-in, so a new browser
    /// speaks it too. Null until they choose: the browser's or the workspace's default applies.</summary>
    public string? Culture { get; set; }
    /// <summary>A disabled user cannot sign in and is signed out of open sessions.</summary>
    public bool IsDisabled { get; set; }
    /// <summary>Creates, suspends and deletes workspaces (the first-run Admin, or listed in <c>Platform:OperatorEmails</c>).</summary>
    public bool IsPlatformOperator { get; set; }
    /// <summary>Set for an initial password handed out by the platform operator: the first sign-in asks for a new one.</summary>
    public bool MustChangePassword { get; set; }
    public DateTime CreatedUtc { get; set; }
}
