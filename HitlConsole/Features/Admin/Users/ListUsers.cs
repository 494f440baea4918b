using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Admin.Users;

public sealed class ListUsers(IDbContextFactory<HitlDbContext> factory, TimeProvider clock)
{
    public sealed record Row(string Id, string Email, string DisplayName, string Role, bool Disabled, bool LockedOut);

    public async Task<IReadOnlyList<Row>> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        // The tenant filter on Users and the join keep this to the caller's workspace.
        var rows = await (
            from u in db.Users
            let role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name).FirstOrDefault()
            orderby u.Email
            select new { u.Id, u.Email, u.DisplayName, Role = role, u.IsDisabled, u.LockoutEnd }).ToListAsync(ct);
        return rows.Select(r => new Row(r.Id, r.Email ?? "", r.DisplayName, r.Role ?? Roles.Agent, r.IsDisabled, r.LockoutEnd > now)).ToList();
    }
}
