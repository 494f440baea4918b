using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

/// <summary>Names a version of the agent configuration (or clears its name); a locked version keeps its name.</summary>
public sealed class RenameConfigVersion(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    public async Task<ConfigVersionResult> HandleAsync(int number, string? name, CancellationToken ct)
    {
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (name?.Length > MaxNameLength) return new ConfigVersionResult.Invalid(new Dictionary<string, string> { ["name"] = "ConfigErrorTooLong" });
        await using var db = await factory.CreateDbContextAsync(ct);
        var version = await db.ConfigVersions.SingleOrDefaultAsync(v => v.Number == number, ct);
        if (version is null) return new ConfigVersionResult.NotFound();
        if (version.Locked) return new ConfigVersionResult.Frozen(number);
        db.Record(tenant.UserId, "config.renamed", nameof(ConfigVersion), number.ToString(), new { version.Name }, new { Name = name },
            clock.GetUtcNow().UtcDateTime);
        version.Name = name;
        await db.SaveChangesAsync(ct);
        return new ConfigVersionResult.Saved(number);
    }
}
