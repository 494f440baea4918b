using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

/// <summary>Locks a version of the agent configuration (nothing can be saved over it while it is the newest) or unlocks it.</summary>
public sealed class LockConfigVersion(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock)
{
    public async Task<ConfigVersionResult> HandleAsync(int number, bool locked, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var version = await db.ConfigVersions.SingleOrDefaultAsync(v => v.Number == number, ct);
        if (version is null) return new ConfigVersionResult.NotFound();
        if (version.Locked == locked) return new ConfigVersionResult.Saved(number);
        version.Locked = locked;
        db.Record(tenant.UserId, locked ? "config.locked" : "config.unlocked", nameof(ConfigVersion), number.ToString(), null, null,
            clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new ConfigVersionResult.Saved(number);
    }
}
