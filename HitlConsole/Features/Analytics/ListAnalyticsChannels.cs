using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Analytics;

/// <summary>The workspace's channels by name, to filter analytics by one.</summary>
public sealed class ListAnalyticsChannels(IDbContextFactory<HitlDbContext> factory)
{
    public async Task<IReadOnlyList<(Guid Id, string Name, ChannelKind Kind)>> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.Channels.OrderBy(c => c.Name).Select(c => new { c.Id, c.Name, c.Kind }).ToListAsync(ct)).Select(c => (c.Id, c.Name, c.Kind)).ToList();
    }
}
