using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Home;

public sealed class GetWorkspaceSummary(IDbContextFactory<HitlDbContext> factory, TenantContext tenant)
{
    public sealed record Summary(string WorkspaceName, int KnowledgeEntries, int ActiveUsers);

    public async Task<Summary> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var name = await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => t.Name).SingleOrDefaultAsync(ct) ?? "";
        return new Summary(
            name,
            await db.KnowledgeEntries.CountAsync(e => e.Active, ct),
            await db.WorkspaceMembers.CountAsync(m => !m.IsDisabled, ct));
    }
}
