using System.ComponentModel.DataAnnotations;
using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// Who is reviewing a pending draft. Opening a draft claims it for a short lease that the open editor renews; another
/// person sees who holds it and may take over explicitly; approval by anyone but the holder is refused while the
/// lease runs. Every claim change is one conditional UPDATE, so two people claiming at once cannot both win. A stopped
/// draft (blocked, failed) has no lease, but opening it assigns the conversation as a claim does.
/// </summary>
public sealed class DraftLeases(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, LiveFeed feed, IOptions<ReviewOptions> options, TimeProvider clock)
{
    public abstract record Result
    {
        /// <param name="Unsent">The edit the last reviewer left unsent, to continue from; null when there is none.</param>
        public sealed record Claimed(DateTime ExpiresUtc, UnsentEdit? Unsent = null) : Result;
        public sealed record HeldBy(string UserId, string? Name, DateTime ExpiresUtc) : Result;
        public sealed record NotPending : Result;
    }

    /// <summary>A reviewer's edit of the draft that was not sent: its text and who typed it.</summary>
    public sealed record UnsentEdit(string Text, string ByUserId, string? ByName);

    /// <summary>Claims the draft unless someone else holds a live lease (or takes it over from them when asked to).</summary>
    public async Task<Result> ClaimAsync(Guid draftId, bool takeOver, CancellationToken ct)
    {
        var me = tenant.UserId ?? throw new InvalidOperationException("Claiming needs a signed-in user.");
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now + options.Value.LeaseDuration;
        var before = await (from d in db.Drafts.AsNoTracking()
                            where d.Id == draftId
                            join u in db.Users on d.UnsentByUserId equals u.Id into users
                            from u in users.DefaultIfEmpty()
                            select new
                            {
                                d.State, d.ClaimedByUserId, d.LeaseExpiresUtc, d.ConversationId, d.MessageId, d.UnsentText, d.UnsentByUserId,
                                UnsentByName = u != null ? (u.DisplayName != "" ? u.DisplayName : u.Email) : null,
                            }).SingleOrDefaultAsync(ct);
        if (before is null || before.State != DraftState.Pending) return new Result.NotPending();
        var unsent = before is { UnsentText: { } text, UnsentByUserId: { } by } ? new UnsentEdit(text, by, before.UnsentByName) : null;

        // Already mine (another tab, a second editor of the same page, a reconnect): the lease is renewed and nothing recorded.
        // Only an update that moves the claim to me records it, so two opens of mine at once leave one "started reviewing".
        if (await db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Pending && d.ClaimedByUserId == me && d.LeaseExpiresUtc >= now)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseExpiresUtc, expires), ct) == 1)
            return new Result.Claimed(expires, unsent);
        var query = db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Pending && !(d.ClaimedByUserId == me && d.LeaseExpiresUtc >= now));
        if (!takeOver) query = query.Where(d => d.ClaimedByUserId == null || d.LeaseExpiresUtc < now);
        var won = await query.ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedByUserId, me).SetProperty(d => d.LeaseExpiresUtc, expires), ct) == 1;
        if (!won) return await HolderAsync(db, draftId, me, ct);

        var previous = before.LeaseExpiresUtc >= now ? before.ClaimedByUserId : null;
        if (previous != me)
        {
            // Opening the conversation again after looking elsewhere is the same review: the log says so once, not per visit.
            if (previous is not null || !await ClaimedLatelyAsync(db, draftId, me, now, ct))
            {
                db.Record(me, previous is null ? "draft.claimed" : "draft.taken-over", nameof(Draft), draftId.ToString(),
                    previous is null ? null : new { ClaimedByUserId = previous }, new { ClaimedByUserId = me }, now);
                await db.SaveChangesAsync(ct);
            }
            feed.Publish(new LiveEvent(tenant.TenantId!.Value, LiveEventKind.DraftChanged, before.ConversationId, before.MessageId, draftId));
        }
        return new Result.Claimed(expires, unsent);
    }

    /// <summary>How long a person's return to a draft they started reviewing is the same review in the audit log.</summary>
    private static readonly TimeSpan SameReview = TimeSpan.FromHours(1);

    /// <summary>Reads only the last hour of the workspace's log (its index on the time), however long the log is.</summary>
    private static Task<bool> ClaimedLatelyAsync(HitlDbContext db, Guid draftId, string me, DateTime now, CancellationToken ct)
    {
        var since = now - SameReview;
        var id = draftId.ToString();
        return db.AuditEvents.AnyAsync(a => a.AtUtc >= since && a.EntityId == id && a.ActorUserId == me
            && (a.Action == "draft.claimed" || a.Action == "draft.taken-over"), ct);
    }

    /// <summary>Extends the caller's own lease; false when it was taken over or the draft was decided meanwhile.</summary>
    public async Task<bool> RenewAsync(Guid draftId, CancellationToken ct)
    {
        var me = tenant.UserId;
        await using var db = await factory.CreateDbContextAsync(ct);
        var expires = clock.GetUtcNow().UtcDateTime + options.Value.LeaseDuration;
        return await db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Pending && d.ClaimedByUserId == me)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseExpiresUtc, expires), ct) == 1;
    }

    /// <summary>
    /// The holder's edit as it stands (null: back to the model's text), kept so that whoever takes the draft over, or
    /// claims it once the holder let go, continues from it. Nothing is written unless the caller holds the lease.
    /// </summary>
    public async Task<bool> KeepUnsentAsync(Guid draftId, string? text, CancellationToken ct)
    {
        var me = tenant.UserId;
        if (text?.Length > ReviewDraft.MaxReplyLength) text = text[..ReviewDraft.MaxReplyLength];
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Pending && d.ClaimedByUserId == me)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.UnsentText, text).SetProperty(d => d.UnsentByUserId, text == null ? null : me), ct) == 1;
    }

    /// <summary>Gives up the caller's lease (editor closed, circuit gone); someone else's lease is left alone.</summary>
    public async Task ReleaseAsync(Guid draftId, CancellationToken ct)
    {
        var me = tenant.UserId;
        await using var db = await factory.CreateDbContextAsync(ct);
        var draft = await db.Drafts.AsNoTracking().Where(d => d.Id == draftId && d.ClaimedByUserId == me)
            .Select(d => new { d.ConversationId, d.MessageId }).SingleOrDefaultAsync(ct);
        if (draft is null) return;
        var released = await db.Drafts.Where(d => d.Id == draftId && d.ClaimedByUserId == me)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedByUserId, (string?)null).SetProperty(d => d.LeaseExpiresUtc, (DateTime?)null), ct);
        if (released == 1)
            feed.Publish(new LiveEvent(tenant.TenantId!.Value, LiveEventKind.DraftChanged, draft.ConversationId, draft.MessageId, draftId));
    }

    private async Task<Result> HolderAsync(HitlDbContext db, Guid draftId, string? me, CancellationToken ct)
    {
        var holder = await (from d in db.Drafts.AsNoTracking()
                            where d.Id == draftId
                            join u in db.Users on d.ClaimedByUserId equals u.Id into users
                            from u in users.DefaultIfEmpty()
                            select new { d.State, d.ClaimedByUserId, d.LeaseExpiresUtc, Name = u != null ? (u.DisplayName != "" ? u.DisplayName : u.Email) : null })
            .SingleOrDefaultAsync(ct);
        return holder is { State: DraftState.Pending, ClaimedByUserId: { } by, LeaseExpiresUtc: { } until }
            ? by == me ? new Result.Claimed(until) : new Result.HeldBy(by, holder.Name, until)
            : new Result.NotPending();
    }
}
