using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Infrastructure.Tenancy;

public static class TenantScopeExtensions
{
    /// <summary>A DI scope acting for one tenant: for webhooks, jobs and sweepers, which have no signed-in user.</summary>
    public static AsyncServiceScope CreateTenantScope(this IServiceScopeFactory scopes, Guid tenantId, string? userId = null)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId, userId);
        return scope;
    }

    /// <summary>
    /// Runs <paramref name="work"/> for every workspace that is not suspended, one at a time, each in its own scope: the
    /// shape of every recurring per-workspace job. A suspended workspace keeps its data as it was.
    /// </summary>
    public static async Task ForEachActiveTenantAsync(this IServiceScopeFactory scopes, Func<IServiceProvider, Task> work, CancellationToken ct)
    {
        List<Guid> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct))
            tenants = await db.Tenants.AsNoTracking().Where(t => !t.IsSuspended).Select(t => t.Id).ToListAsync(ct);
        foreach (var tenantId in tenants)
        {
            await using var scope = scopes.CreateTenantScope(tenantId);
            await work(scope.ServiceProvider);
        }
    }

    public static async Task<bool> IsSuspendedAsync(this IServiceProvider services, Guid tenantId, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        return await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => (bool?)t.IsSuspended).SingleOrDefaultAsync(ct) ?? true;
    }
}
