using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>The workspace's drafts waiting for a person, for the navigation badge and the tab title.</summary>
public sealed class GetInboxAlerts(IDbContextFactory<HitlDbContext> factory)
{
    public sealed record Counts(int Pending, int Blocked);

    public async Task<Counts> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var counts = await db.Drafts.Where(d => d.State == DraftState.Pending || d.State == DraftState.Blocked)
            .GroupBy(d => d.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return new Counts(counts.Sum(c => c.Count), counts.Where(c => c.Key == DraftState.Blocked).Sum(c => c.Count));
    }
}
