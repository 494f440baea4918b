using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// What waits for a person, for the navigation badge and the tab title: the same conversations the inbox's "Needs review"
/// (including those still owed a reply after a rejected draft) and "Blocked" lanes count, so the badge and the lanes agree.
/// </summary>
public sealed class GetInboxAlerts(IDbContextFactory<HitlDbContext> factory, Infrastructure.Tenancy.TenantContext tenant, TimeProvider clock)
{
    /// <param name="Review">Conversations in the review lane.</param>
    /// <param name="Blocked">Conversations in the blocked lane (the guardrail stopped a draft, or the model failed).</param>
    public sealed record Counts(int Review, int Blocked)
    {
        public int Total => Review + Blocked;
    }

    public async Task<Counts> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var ttlHours = await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => t.DraftTtlHours).SingleOrDefaultAsync(ct);
        var (review, blocked) = await GetInbox.LaneTotalsAsync(db, AwaitingReply.Since(clock.GetUtcNow().UtcDateTime, ttlHours), ct);
        return new Counts(review, blocked);
    }
}
