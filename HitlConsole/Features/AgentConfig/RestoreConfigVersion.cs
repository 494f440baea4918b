using HitlConsole.Features.Localization;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

/// <summary>Brings back an earlier version of the agent configuration as a new version equal to it; audited as a restore.</summary>
public sealed class RestoreConfigVersion(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock, GetConfigVersion versions)
{
    public async Task<ConfigVersionResult> HandleAsync(int number, int? baseNumber, CancellationToken ct)
    {
        var document = await versions.HandleAsync(number, ct);
        if (document is null) return new ConfigVersionResult.NotFound();
        return await ConfigVersionWriter.AddAsync(factory, tenant, clock, document, baseNumber, ConfigTexts.RestoredComment(number), number,
            "config.restored", ct, allowUnchanged: true);
    }
}
