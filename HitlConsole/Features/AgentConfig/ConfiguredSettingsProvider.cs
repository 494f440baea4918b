using System.Collections.Concurrent;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.AgentConfig;

/// <summary>
/// Drafting's view of the configuration: the newest saved version of the workspace, or the defaults while it has none.
/// One indexed lookup of the newest number per draft; a version's parsed settings are cached (versions never change),
/// so a save on any instance is in force for the next draft everywhere.
/// </summary>
// A singleton (it caches parsed versions), so each call opens a scope of its own for the workspace's context factory.
internal sealed class ConfiguredSettingsProvider(IServiceScopeFactory scopes, IOptions<PipelineOptions> pipeline)
    : IAgentSettingsProvider, IWorkspaceCache
{
    private readonly ConcurrentDictionary<(Guid Tenant, int Number), AgentSettings> _versions = new();

    public async Task<AgentSettings> GetAsync(Guid tenantId, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var newest = await db.ConfigVersions.IgnoreQueryFilters().Where(v => v.TenantId == tenantId)
            .OrderByDescending(v => v.Number).Select(v => (int?)v.Number).FirstOrDefaultAsync(ct);
        if (newest is { } number) return await LoadAsync(db, tenantId, number, ct) ?? throw new InvalidOperationException("Version vanished.");

        var tenant = await db.Tenants.Where(t => t.Id == tenantId).Select(t => new { t.Name, t.DraftTtlHours }).SingleOrDefaultAsync(ct);
        return AgentConfigDocument.Default(tenant?.Name ?? "", pipeline.Value, tenant?.DraftTtlHours ?? 24).ToSettings(null);
    }

    public async Task<AgentSettings?> GetVersionAsync(Guid tenantId, int version, CancellationToken ct)
    {
        if (_versions.TryGetValue((tenantId, version), out var cached)) return cached;
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        return await LoadAsync(db, tenantId, version, ct);
    }

    public void Evict(Guid tenantId)
    {
        foreach (var key in _versions.Keys.Where(k => k.Tenant == tenantId)) _versions.TryRemove(key, out _);
    }

    private async Task<AgentSettings?> LoadAsync(HitlDbContext db, Guid tenantId, int number, CancellationToken ct)
    {
        if (_versions.TryGetValue((tenantId, number), out var cached)) return cached;
        var json = await db.ConfigVersions.IgnoreQueryFilters().Where(v => v.TenantId == tenantId && v.Number == number)
            .Select(v => v.Document).SingleOrDefaultAsync(ct);
        if (json is null) return null;
        if (_versions.Count > 512) _versions.Clear();
        return _versions[(tenantId, number)] = AgentConfigDocument.FromJson(json, strict: false).ToSettings(number);
    }
}
