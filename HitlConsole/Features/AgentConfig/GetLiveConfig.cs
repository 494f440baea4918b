using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.AgentConfig;

/// <summary>The configuration in force (or the defaults while nothing was saved) and the version it came from.</summary>
public sealed record LiveConfig(int? Number, AgentConfigDocument Document, bool Frozen);

/// <summary>The newest version of the workspace's agent configuration, or the defaults while nothing was saved.</summary>
public sealed class GetLiveConfig(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, IOptions<PipelineOptions> pipeline)
{
    public async Task<LiveConfig> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var newest = await db.ConfigVersions.AsNoTracking().OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        if (newest is not null) return new LiveConfig(newest.Number, AgentConfigDocument.FromJson(newest.Document, strict: false), newest.Locked);
        var t = await db.Tenants.AsNoTracking().SingleAsync(x => x.Id == tenant.TenantId, ct);
        return new LiveConfig(null, AgentConfigDocument.Default(t.Name, pipeline.Value, t.DraftTtlHours), false);
    }
}
