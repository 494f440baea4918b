using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Platform;

/// <summary>Every workspace with its size against its limits, and the latest platform audit: the operator's overview.</summary>
public sealed class ListWorkspaces(IDbContextFactory<HitlDbContext> factory, TimeProvider clock)
{
    public sealed record Row(
        Guid Id, string Name, string Culture, bool Suspended, DateTime CreatedUtc,
        int Members, int? MaxUsers, int Entries, int? MaxKnowledgeEntries, int MessagesToday, int? MaxMessagesPerDay);

    public async Task<IReadOnlyList<Row>> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow().UtcDateTime.Date;
        return await db.Tenants.OrderBy(t => t.Name).Select(t => new Row(
            t.Id, t.Name, t.DefaultCulture, t.IsSuspended, t.CreatedUtc,
            db.WorkspaceMembers.IgnoreQueryFilters().Count(m => m.TenantId == t.Id), t.MaxUsers,
            db.KnowledgeEntries.IgnoreQueryFilters().Count(e => e.TenantId == t.Id), t.MaxKnowledgeEntries,
            db.Messages.IgnoreQueryFilters().Count(m => m.TenantId == t.Id && m.Direction == MessageDirection.Inbound && m.SentUtc >= since),
            t.MaxMessagesPerDay)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<PlatformAuditEvent>> RecentAuditAsync(int take, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.PlatformAuditEvents.OrderByDescending(e => e.AtUtc).ThenByDescending(e => e.Id).Take(take).ToListAsync(ct);
    }
}
