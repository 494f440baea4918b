using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// The people of the workspace who work conversations (enabled Agents and Admins), for assigning and @mentions, and what the
/// caller may do with them: everyone may take a conversation; only an Admin hands one to somebody else.
/// </summary>
public sealed class TeamMembers(IDbContextFactory<HitlDbContext> factory, TenantContext tenant)
{
    public sealed record Member(string UserId, string Name, string Role, string Handle, string? Email = null);
    /// <summary>A team of the workspace, for filtering the inbox by team.</summary>
    public sealed record TeamName(Guid Id, string Name);

    public sealed record Team(IReadOnlyList<Member> Members, string? MyUserId, string? MyRole, bool IsLead = false)
    {
        public IReadOnlyList<TeamName> Teams { get; init; } = [];

        public bool CanAct => MyRole is Roles.Agent or Roles.Admin;
        /// <summary>Admins hand conversations to anyone, team leads to their team (the server checks which).</summary>
        public bool CanAssignOthers => MyRole == Roles.Admin || (IsLead && CanAct);
    }

    public async Task<Team> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await (from m in db.WorkspaceMembers
                          join u in db.Users on m.UserId equals u.Id
                          where !m.IsDisabled && !u.IsDisabled
                          select new { m.UserId, u.DisplayName, u.Email, m.Role }).ToListAsync(ct);
        var members = Mentionable(rows.Where(r => r.Role is Roles.Agent or Roles.Admin).Select(r => (r.UserId, r.DisplayName, r.Email, r.Role)));
        var lead = tenant.UserId is { } me && await db.TeamMembers.AnyAsync(t => t.UserId == me && t.IsLead, ct);
        var teams = (await db.Teams.AsNoTracking().Select(t => new TeamName(t.Id, t.Name)).ToListAsync(ct))
            .OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        return new Team(members, tenant.UserId, rows.FirstOrDefault(r => r.UserId == tenant.UserId)?.Role, lead) { Teams = teams };
    }

    /// <summary>The caller's role in the workspace in force (an enabled membership), or null.</summary>
    internal static Task<string?> RoleAsync(HitlDbContext db, string? userId, CancellationToken ct) => userId is null
        ? Task.FromResult<string?>(null)
        : db.WorkspaceMembers.Where(m => m.UserId == userId && !m.IsDisabled).Select(m => m.Role).FirstOrDefaultAsync(ct);

    /// <summary>Whether <paramref name="lead"/> leads a team that <paramref name="member"/> belongs to.</summary>
    internal static Task<bool> LeadsAsync(HitlDbContext db, string lead, string member, CancellationToken ct) =>
        db.TeamMembers.AnyAsync(l => l.UserId == lead && l.IsLead && db.TeamMembers.Any(m => m.TeamId == l.TeamId && m.UserId == member), ct);

    /// <summary>People as the console lists and @mentions them: by name, each with a handle no one else has.</summary>
    internal static List<Member> Mentionable(IEnumerable<(string UserId, string DisplayName, string Email, string Role)> people) =>
        Mentions.Distinct(people.Select(p => new Member(p.UserId, NameOf(p.DisplayName, p.Email), p.Role, Mentions.HandleOf(p.DisplayName, p.Email), p.Email)))
            .OrderBy(m => m.Name, StringComparer.CurrentCultureIgnoreCase).ToList();

    internal static string NameOf(string? displayName, string? email) => string.IsNullOrWhiteSpace(displayName) ? email ?? "—" : displayName;
}
