using System.Security.Claims;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Account;

/// <summary>
/// Which workspace a session works in, and whether it still may: the cookie carries the workspace (tenant claim) and the
/// role the user has there; every request and every open circuit checks both against the membership.
/// </summary>
public static class WorkspaceSession
{
    public const string PlatformClaim = "hitl:platform";
    public const string PlatformOperator = "operator";
    public const string MustChangePasswordClaim = "hitl:must-change-password";

    public sealed record Choice(Guid TenantId, string Role, string Culture);

    /// <summary>The workspace a sign-in opens: the one the user last worked in, else the oldest they may enter.</summary>
    public static async Task<Choice?> ChooseAsync(HitlDbContext db, AppUser user, CancellationToken ct = default)
    {
        var open = await (
            from m in db.WorkspaceMembers.IgnoreQueryFilters()
            join t in db.Tenants on m.TenantId equals t.Id
            where m.UserId == user.Id && !m.IsDisabled && !t.IsSuspended
            orderby m.CreatedUtc
            select new Choice(t.Id, m.Role, t.DefaultCulture)).ToListAsync(ct);
        return open.FirstOrDefault(c => c.TenantId == user.TenantId) ?? open.FirstOrDefault();
    }

    public sealed record Membership(Guid TenantId, string Name, string Role);

    /// <summary>The workspaces a user may switch to, for the app bar.</summary>
    public static Task<List<Membership>> ListAsync(HitlDbContext db, string userId, CancellationToken ct) => (
        from m in db.WorkspaceMembers.IgnoreQueryFilters()
        join t in db.Tenants on m.TenantId equals t.Id
        where m.UserId == userId && !m.IsDisabled && !t.IsSuspended
        orderby t.Name
        select new Membership(t.Id, t.Name, m.Role)).ToListAsync(ct);

    /// <summary>
    /// One query: the session's security stamp is current, and — when it works in a workspace — the user is still an enabled
    /// member of a workspace that is not suspended, with the role the cookie carries.
    /// </summary>
    public static async Task<bool> IsValidAsync(HitlDbContext db, ClaimsPrincipal principal, string stampClaimType, CancellationToken ct)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return false;
        var stamp = principal.FindFirstValue(stampClaimType);
        Guid? tenantId = Guid.TryParse(principal.FindFirstValue(TenantContext.TenantClaim), out var parsed) ? parsed : null;
        var row = await db.Users.IgnoreQueryFilters().Where(u => u.Id == userId).Select(u => new
        {
            u.SecurityStamp,
            u.IsDisabled,
            Role = (from m in db.WorkspaceMembers.IgnoreQueryFilters()
                    join t in db.Tenants on m.TenantId equals t.Id
                    where m.UserId == u.Id && m.TenantId == tenantId && !m.IsDisabled && !t.IsSuspended
                    select m.Role).FirstOrDefault(),
        }).SingleOrDefaultAsync(ct);
        if (row is null || row.IsDisabled || row.SecurityStamp != stamp) return false;
        return tenantId is null || (row.Role is not null && principal.IsInRole(row.Role));
    }

    /// <summary>
    /// The periodic claims refresh rebuilds the principal from the user's last workspace; a session keeps the workspace it
    /// works in (another browser may have switched), and its role there is checked on every request.
    /// </summary>
    public static void KeepWorkspace(ClaimsPrincipal current, ClaimsPrincipal refreshed, string roleClaimType)
    {
        if (refreshed.Identity is not ClaimsIdentity identity) return;
        foreach (var type in new[] { TenantContext.TenantClaim, roleClaimType, AccountRegistration.CultureClaim })
        {
            foreach (var claim in identity.FindAll(type).ToList()) identity.RemoveClaim(claim);
            foreach (var claim in current.FindAll(type)) identity.AddClaim(new Claim(type, claim.Value));
        }
    }
}
