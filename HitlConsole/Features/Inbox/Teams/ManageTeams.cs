using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox.Teams;

/// <summary>
/// The workspace's teams and automatic assignment, managed by its Admins: create, rename and delete teams, add and remove
/// members, make a member a lead, and choose how new conversations are assigned. Every change is audited.
/// </summary>
public sealed class ManageTeams(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock)
{
    public const int MaxNameLength = 80;
    public const int MaxCap = 500;

    public sealed record MemberRow(string UserId, string Name, bool IsLead);
    public sealed record TeamRow(Guid Id, string Name, IReadOnlyList<MemberRow> Members);
    public sealed record Settings(AutoAssignMode Mode, int Cap, Guid? TeamId);
    public sealed record Overview(IReadOnlyList<TeamRow> Teams, IReadOnlyList<TeamMembers.Member> People, Settings AutoAssign);

    public abstract record Result
    {
        public sealed record Done(Guid? Id = null) : Result;
        /// <summary><paramref name="Reason"/> is a resource key the page shows.</summary>
        public sealed record Refused(string Reason) : Result;
    }

    private static readonly Result Forbidden = new Result.Refused("TeamsRefusedRole");
    private static readonly Result Missing = new Result.Refused("TeamsNotFound");

    public async Task<Overview> GetAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var people = TeamMembers.Mentionable((await (from m in db.WorkspaceMembers
                             join u in db.Users on m.UserId equals u.Id
                             where !m.IsDisabled && !u.IsDisabled && (m.Role == Roles.Agent || m.Role == Roles.Admin)
                             select new { m.UserId, u.DisplayName, u.Email, m.Role }).ToListAsync(ct))
            .Select(r => (r.UserId, r.DisplayName, r.Email, r.Role)));
        var names = people.ToDictionary(p => p.UserId, p => p.Name);
        var teams = await db.Teams.AsNoTracking().ToListAsync(ct);
        var members = await db.TeamMembers.AsNoTracking().ToListAsync(ct);
        var rows = teams.OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(t => new TeamRow(t.Id, t.Name, members.Where(m => m.TeamId == t.Id)
                .Select(m => new MemberRow(m.UserId, names.GetValueOrDefault(m.UserId) ?? "—", m.IsLead))
                .OrderBy(m => m.Name, StringComparer.CurrentCultureIgnoreCase).ToList())).ToList();
        var s = await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => new Settings(t.AutoAssignMode, t.AutoAssignCap, t.AutoAssignTeamId)).SingleAsync(ct);
        return new Overview(rows, people, s);
    }

    public Task<Result> CreateAsync(string name, CancellationToken ct) => AsAdminAsync(async (db, me, now) =>
    {
        if (Clean(name) is not { } clean) return new Result.Refused("TeamNameRequired");
        if (await NameTakenAsync(db, clean, null, ct)) return new Result.Refused("TeamNameTaken");
        var team = new Team { Name = clean, CreatedUtc = now };
        db.Teams.Add(team);
        db.Record(me, "team.created", nameof(Team), team.Id.ToString(), null, new { team.Name }, now);
        return new Result.Done(team.Id);
    }, ct);

    /// <summary>"Billing" and "billing" are one team to the people choosing between them: compared without case, in memory (a
    /// workspace has a handful of teams, and SQLite's lower() folds only ASCII).</summary>
    private static async Task<bool> NameTakenAsync(HitlDbContext db, string name, Guid? except, CancellationToken ct) =>
        (await db.Teams.Where(t => t.Id != except).Select(t => t.Name).ToListAsync(ct)).Contains(name, StringComparer.CurrentCultureIgnoreCase);

    public Task<Result> RenameAsync(Guid teamId, string name, CancellationToken ct) => AsAdminAsync(async (db, me, now) =>
    {
        if (Clean(name) is not { } clean) return new Result.Refused("TeamNameRequired");
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Id == teamId, ct);
        if (team is null) return Missing;
        if (await NameTakenAsync(db, clean, teamId, ct)) return new Result.Refused("TeamNameTaken");
        db.Record(me, "team.renamed", nameof(Team), team.Id.ToString(), new { team.Name }, new { Name = clean }, now);
        team.Name = clean;
        return new Result.Done(team.Id);
    }, ct);

    public Task<Result> DeleteAsync(Guid teamId, CancellationToken ct) => AsAdminAsync(async (db, me, now) =>
    {
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Id == teamId, ct);
        if (team is null) return Missing;
        db.Teams.Remove(team);
        // The workspace row has no key to the team: automatic assignment falls back to everyone.
        await db.Tenants.Where(t => t.Id == team.TenantId && t.AutoAssignTeamId == teamId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AutoAssignTeamId, (Guid?)null), ct);
        db.Record(me, "team.deleted", nameof(Team), team.Id.ToString(), new { team.Name }, null, now);
        return new Result.Done();
    }, ct);

    public Task<Result> SetMemberAsync(Guid teamId, string userId, bool member, bool lead, CancellationToken ct) => AsAdminAsync(async (db, me, now) =>
    {
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, ct)) return Missing;
        if (!await db.WorkspaceMembers.AnyAsync(m => m.UserId == userId && !m.IsDisabled && (m.Role == Roles.Agent || m.Role == Roles.Admin), ct))
            return new Result.Refused("AssignRefusedMember");
        var row = await db.TeamMembers.SingleOrDefaultAsync(m => m.TeamId == teamId && m.UserId == userId, ct);
        if (!member)
        {
            if (row is null) return new Result.Done();
            db.TeamMembers.Remove(row);
            db.Record(me, "team.member.removed", nameof(Team), teamId.ToString(), new { UserId = userId }, null, now);
            return new Result.Done();
        }
        if (row is null) db.TeamMembers.Add(row = new TeamMember { TeamId = teamId, UserId = userId, CreatedUtc = now, IsLead = lead });
        else if (row.IsLead == lead) return new Result.Done();
        row.IsLead = lead;
        db.Record(me, "team.member.set", nameof(Team), teamId.ToString(), null, new { UserId = userId, IsLead = lead }, now);
        return new Result.Done();
    }, ct);

    public Task<Result> SaveSettingsAsync(Settings settings, CancellationToken ct) => AsAdminAsync(async (db, me, now) =>
    {
        if (settings.Cap is < 1 or > MaxCap) return new Result.Refused("AutoAssignCapInvalid");
        if (settings.TeamId is { } teamId && !await db.Teams.AnyAsync(t => t.Id == teamId, ct)) return Missing;
        var workspace = await db.Tenants.SingleAsync(t => t.Id == tenant.TenantId, ct);
        var before = new Settings(workspace.AutoAssignMode, workspace.AutoAssignCap, workspace.AutoAssignTeamId);
        (workspace.AutoAssignMode, workspace.AutoAssignCap, workspace.AutoAssignTeamId) = (settings.Mode, settings.Cap, settings.TeamId);
        db.Record(me, "workspace.autoassign.changed", nameof(Tenant), workspace.Id.ToString(), before, settings, now);
        return new Result.Done();
    }, ct);

    private async Task<Result> AsAdminAsync(Func<HitlDbContext, string, DateTime, Task<Result>> work, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (tenant.UserId is not { } me || await TeamMembers.RoleAsync(db, me, ct) != Roles.Admin) return Forbidden;
        var result = await work(db, me, clock.GetUtcNow().UtcDateTime);
        if (result is Result.Done)
        {
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex)) { return new Result.Refused("TeamNameTaken"); }
        }
        return result;
    }

    private static string? Clean(string? name) => string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength ? null : name.Trim();
}
