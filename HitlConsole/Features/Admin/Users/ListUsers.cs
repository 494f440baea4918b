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
        // The tenant filter on the memberships keeps this to the caller's workspace.
        var rows = await (
            from m in db.WorkspaceMembers
            join u in db.Users on m.UserId equals u.Id
            orderby u.Email
            select new { u.Id, u.Email, u.DisplayName, m.Role, Disabled = m.IsDisabled || u.IsDisabled, u.LockoutEnd }).ToListAsync(ct);
        return rows.Select(r => new Row(r.Id, r.Email ?? "", r.DisplayName, r.Role, r.Disabled, r.LockoutEnd > now)).ToList();
    }
}
