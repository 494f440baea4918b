using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Analytics;

/// <summary>The workspace's agent configuration versions, newest first, to filter analytics by the one drafts were written with.</summary>
public sealed class ListAnalyticsVersions(IDbContextFactory<HitlDbContext> factory)
{
    public sealed record Version(int Number, string? Name, DateTime CreatedUtc);

    public async Task<IReadOnlyList<Version>> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ConfigVersions.AsNoTracking().OrderByDescending(v => v.Number)
            .Select(v => new Version(v.Number, v.Name, v.CreatedUtc)).ToListAsync(ct);
    }
}
