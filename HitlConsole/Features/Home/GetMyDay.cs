using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Localization;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Home;

/// <summary>
/// A manager's day on the home page: today so far in the workspace's time zone — messages in, replies out (by a person, with
/// a draft or without, or automatically), drafts rejected or blocked — and what waits now. Counts only; the analytics page has the detail.
/// What waits is what the inbox's review and blocked lanes hold (<see cref="GetInboxAlerts"/>), customers still owed a reply
/// after a rejected draft included, so the home page and the inbox agree.
/// </summary>
public sealed class GetMyDay(IDbContextFactory<HitlDbContext> factory, WorkspaceTime time, TimeProvider clock, GetInboxAlerts waiting)
{
    public sealed record Day(int Inbound, int SentByPeople, int AutoSent, int Rejected, int Blocked, int WaitingNow)
    {
        public int Replies => SentByPeople + AutoSent;
    }

    public async Task<Day> HandleAsync(CancellationToken ct)
    {
        var zone = await time.ZoneAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var localMidnight = TimeZoneInfo.ConvertTimeFromUtc(now, zone).Date;
        var since = TimeZoneInfo.ConvertTimeToUtc(localMidnight, zone);
        await using var db = await factory.CreateDbContextAsync(ct);
        var inbound = await db.Messages.CountAsync(m => m.Direction == MessageDirection.Inbound && m.SentUtc >= since, ct);
        var decided = await db.Drafts.Where(d => d.UpdatedUtc >= since)
            .GroupBy(d => d.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(params DraftState[] states) => decided.Where(x => states.Contains(x.State)).Sum(x => x.Count);
        // Every reply that left, not only approved drafts: a person's own reply after a rejection or a block is one too.
        var replies = await db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound && m.SentUtc >= since
            && m.DeliveryState != DeliveryState.Failed, ct);
        var autoSent = Count(DraftState.AutoSent);
        return new Day(inbound, Math.Max(0, replies - autoSent), autoSent, Count(DraftState.Rejected),
            Count(DraftState.Blocked), (await waiting.HandleAsync(ct)).Total);
    }
}
