using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// How many more inbound messages a workspace may have drafted today (UTC day), and whether it is suspended. Messages beyond
/// the allowance are still stored — nothing a customer wrote is lost — but get no draft; an agent answers them by hand.
/// The day is the UTC day, the same for every workspace, so the limit resets at one known moment.
/// </summary>
public sealed class WorkspaceAllowance(bool suspended, int? limit, int? remaining)
{
    public bool Suspended { get; } = suspended;
    public int? Limit { get; } = limit;
    /// <summary>Drafts left today; null is unlimited. Counts down as a batch takes from it.</summary>
    public int? Remaining { get; private set; } = remaining;
    public bool MayDraft => !Suspended && Remaining is not <= 0;

    public static async Task<WorkspaceAllowance> ReadAsync(HitlDbContext db, Guid tenantId, DateTime nowUtc, CancellationToken ct)
    {
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.IsSuspended, t.MaxMessagesPerDay }).SingleOrDefaultAsync(ct);
        if (tenant is null) return new WorkspaceAllowance(true, null, 0);
        if (tenant.MaxMessagesPerDay is not { } max) return new WorkspaceAllowance(tenant.IsSuspended, null, null);
        var since = nowUtc.Date;
        var today = await db.Messages.IgnoreQueryFilters()
            .CountAsync(m => m.TenantId == tenantId && m.Direction == MessageDirection.Inbound && m.SentUtc >= since, ct);
        return new WorkspaceAllowance(tenant.IsSuspended, max, Math.Max(0, max - today));
    }

    /// <summary>
    /// Takes one message from the allowance; false when it is used up. Suspension is not checked here: a suspended
    /// workspace's messages are marked for a draft and wait in the outbox until it is resumed.
    /// </summary>
    public bool TryTake()
    {
        if (Remaining is null) return true;
        if (Remaining <= 0) return false;
        Remaining--;
        return true;
    }
}
