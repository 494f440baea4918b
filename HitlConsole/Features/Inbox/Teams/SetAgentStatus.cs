using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox.Teams;

/// <summary>
/// The signed-in person's status in the workspace in force: the away they chose (kept in the database, so automatic
/// assignment on every instance knows it) and when they were last active.
/// </summary>
public sealed class SetAgentStatus(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock)
{
    /// <summary>Whether the person chose to be away; also records that they are active now.</summary>
    public async Task<bool> ArriveAsync(CancellationToken ct)
    {
        if (tenant.UserId is not { } me) return false;
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WorkspaceMembers.Where(m => m.UserId == me).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastActiveUtc, now), ct);
        return await db.WorkspaceMembers.Where(m => m.UserId == me).Select(m => m.Away).FirstOrDefaultAsync(ct);
    }

    public async Task SetAwayAsync(bool away, CancellationToken ct)
    {
        if (tenant.UserId is not { } me) return;
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WorkspaceMembers.Where(m => m.UserId == me)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Away, away).SetProperty(m => m.LastActiveUtc, now), ct);
    }
}
