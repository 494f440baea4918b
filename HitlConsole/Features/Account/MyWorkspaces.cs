using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Account;

/// <summary>The signed-in user's workspaces for the app bar's switcher, with the one this session works in.</summary>
public sealed class MyWorkspaces(IDbContextFactory<HitlDbContext> factory, TenantContext tenant)
{
    public sealed record View(Guid? Current, IReadOnlyList<WorkspaceSession.Membership> Workspaces)
    {
        public string? CurrentName => Workspaces.FirstOrDefault(w => w.TenantId == Current)?.Name;
    }

    public async Task<View> HandleAsync(CancellationToken ct)
    {
        if (tenant.UserId is not { } userId) return new View(tenant.TenantId, []);
        await using var db = await factory.CreateDbContextAsync(ct);
        return new View(tenant.TenantId, await WorkspaceSession.ListAsync(db, userId, ct));
    }
}
