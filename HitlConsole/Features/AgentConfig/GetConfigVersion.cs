using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

/// <summary>The document of one version of the agent configuration (to compare or restore); null when there is no such version.</summary>
public sealed class GetConfigVersion(IDbContextFactory<HitlDbContext> factory)
{
    public async Task<AgentConfigDocument?> HandleAsync(int number, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var json = await db.ConfigVersions.Where(v => v.Number == number).Select(v => v.Document).SingleOrDefaultAsync(ct);
        return json is null ? null : AgentConfigDocument.FromJson(json, strict: false);
    }
}
