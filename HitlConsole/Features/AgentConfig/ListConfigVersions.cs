using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

public sealed record ConfigVersionView(
    int Number, string? Name, string? Comment, bool Locked, int? RestoredFrom, string? Author, DateTime CreatedUtc, string ContentHash);

/// <summary>Every version of the agent configuration, newest first.</summary>
public sealed class ListConfigVersions(IDbContextFactory<HitlDbContext> factory)
{
    public async Task<IReadOnlyList<ConfigVersionView>> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ConfigVersions.AsNoTracking().OrderByDescending(v => v.Number)
            .Select(v => new ConfigVersionView(v.Number, v.Name, v.Comment, v.Locked, v.RestoredFrom, v.CreatedByName, v.CreatedUtc, v.ContentHash))
            .ToListAsync(ct);
    }
}
