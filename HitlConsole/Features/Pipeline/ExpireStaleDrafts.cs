using HitlConsole.Infrastructure.Observability;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// Undecided drafts (pending, blocked, failed) older than their tenant's TTL become expired; their auto-sends are cancelled
/// and audited. Blocked and failed ones too: weeks-old drafts nobody can still send would otherwise fill the queue for good.
/// </summary>
public sealed partial class ExpireStaleDrafts(
    IServiceScopeFactory scopes, IBackgroundJobClient jobs, LiveFeed feed, TimeProvider clock, ILogger<ExpireStaleDrafts> logger)
{
    public async Task<int> HandleAsync(CancellationToken ct)
    {
        List<(Guid Id, int TtlHours)> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct))
            tenants = (await db.Tenants.AsNoTracking().Select(t => new { t.Id, t.DraftTtlHours }).ToListAsync(ct))
                .Select(t => (t.Id, t.DraftTtlHours)).ToList();

        var expired = 0;
        foreach (var (tenantId, ttlHours) in tenants)
        {
            await using var scope = scopes.CreateTenantScope(tenantId);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var cutoff = now - TimeSpan.FromHours(ttlHours);
            var stale = await db.Drafts.AsNoTracking().Where(d => Undecided.Contains(d.State) && d.CreatedUtc < cutoff)
                .OrderBy(d => d.CreatedUtc).Select(d => new { d.Id, d.State, d.Version, d.ConversationId, d.MessageId, d.AutoSendJobId }).Take(1000).ToListAsync(ct);
            foreach (var d in stale)
            {
                var won = await db.Drafts.Where(x => x.Id == d.Id && x.State == d.State && x.Version == d.Version)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, DraftState.Expired).SetProperty(x => x.Version, d.Version + 1)
                        .SetProperty(x => x.StateReason, "ttl").SetProperty(x => x.UpdatedUtc, now), ct) == 1;
                if (!won) continue; // a person acted in the meantime
                if (d.AutoSendJobId is not null) jobs.Delete(d.AutoSendJobId);
                db.Record(null, "draft.expired", nameof(Draft), d.Id.ToString(), new { State = d.State.ToString() }, new { State = "Expired", TtlHours = ttlHours }, now);
                feed.Publish(new LiveEvent(tenantId, LiveEventKind.DraftChanged, d.ConversationId, d.MessageId, d.Id));
                HitlMetrics.Drafts.WithLabels("expired").Inc();
                expired++;
            }
            await db.SaveChangesAsync(ct);
        }
        if (expired > 0) LogExpired(expired);
        return expired;
    }

    private static readonly DraftState[] Undecided = [DraftState.Pending, DraftState.Blocked, DraftState.Failed];

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Count} stale drafts")]
    private partial void LogExpired(int count);
}
