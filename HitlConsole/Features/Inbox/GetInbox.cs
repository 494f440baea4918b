using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// The lanes of the conversation list. "Needs review" holds drafts a person can approve; "Blocked" holds the drafts the
/// guardrail stopped and the ones the model failed on, so they stay visible without burying new work.
/// </summary>
public enum InboxFilter { NeedsReview, Mine, All, Archived, Blocked }

/// <summary>Urgent: the WhatsApp window closing soonest first (closed windows last); or plain arrival order.</summary>
public enum InboxSort { Urgent, Newest, Oldest }

/// <summary>
/// The conversation list, one page at a time from the database. "Mine" is the conversations assigned to the caller (the
/// first person to review or answer one takes it).
/// </summary>
public sealed class GetInbox(
    IDbContextFactory<HitlDbContext> factory, Infrastructure.Tenancy.TenantContext tenant, IOptions<PipelineOptions> options, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    /// <summary><paramref name="Intent"/> with <paramref name="FromQuarter"/>/<paramref name="ToQuarter"/>: conversations behind an analytics segment.</summary>
    public sealed record Query(InboxFilter Filter, string? Search, int Page, int PageSize, string? Intent = null, long? FromQuarter = null,
        long? ToQuarter = null, InboxSort Sort = InboxSort.Urgent);
    public sealed record Row(Guid ConversationId, string Customer, string Address, string? LastText, int PendingDrafts,
        DateTime? WaitingSinceUtc, DateTime LastActivityUtc, bool Pinned, ConversationStatus Status, bool Blocked, DateTime? WindowClosesUtc = null);
    /// <summary><paramref name="PendingTotal"/> and <paramref name="BlockedTotal"/> count conversations, for the lanes' badges.</summary>
    public sealed record Result(IReadOnlyList<Row> Rows, int Total, int PendingTotal, int BlockedTotal = 0);

    private static readonly DraftState[] Undecided = [DraftState.Pending, DraftState.Blocked, DraftState.Failed];
    private static readonly DraftState[] Stopped = [DraftState.Blocked, DraftState.Failed];

    public async Task<Result> HandleAsync(Query q, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var window = options.Value.CustomerServiceWindow;
        var windowOpenSince = clock.GetUtcNow().UtcDateTime - window;
        // Which drafts make a conversation "waiting" depends on the lane: approvable ones, stopped ones, or either.
        var waiting = q.Filter switch
        {
            InboxFilter.NeedsReview => [DraftState.Pending],
            InboxFilter.Blocked => Stopped,
            _ => Undecided,
        };
        var rows =
            from c in db.Conversations.AsNoTracking()
            join k in db.Contacts on c.ContactId equals k.Id
            join ch in db.Channels on c.ChannelId equals ch.Id
            select new
            {
                c, k, ch.Kind,
                Pending = db.Drafts.Count(d => d.ConversationId == c.Id && Undecided.Contains(d.State)),
                WaitingSince = db.Drafts.Where(d => d.ConversationId == c.Id && waiting.Contains(d.State)).Min(d => (DateTime?)d.CreatedUtc),
                Blocked = db.Drafts.Any(d => d.ConversationId == c.Id && d.State == DraftState.Blocked),
                LastText = db.Messages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.SentUtc).Select(m => m.Text ?? m.Caption ?? m.Type).FirstOrDefault(),
            };

        rows = q.Filter switch
        {
            InboxFilter.Archived => rows.Where(r => r.c.Status == ConversationStatus.Archived),
            InboxFilter.NeedsReview or InboxFilter.Blocked => rows.Where(r => r.c.Status != ConversationStatus.Archived && r.WaitingSince != null),
            InboxFilter.Mine => rows.Where(r => r.c.Status != ConversationStatus.Archived && r.c.AssigneeUserId == tenant.UserId),
            _ => rows.Where(r => r.c.Status != ConversationStatus.Archived),
        };
        if (!string.IsNullOrWhiteSpace(q.Intent))
        {
            var (from, to) = (q.FromQuarter ?? long.MinValue, q.ToQuarter ?? long.MaxValue);
            rows = q.Intent == Analytics.GetAnalytics.Other
                ? rows.Where(r => db.Drafts.Any(d => d.ConversationId == r.c.Id && d.Intent == null && d.Quarter >= from && d.Quarter < to))
                : rows.Where(r => db.Drafts.Any(d => d.ConversationId == r.c.Id && d.Intent == q.Intent && d.Quarter >= from && d.Quarter < to));
        }
        if (!string.IsNullOrWhiteSpace(q.Search))
        {
            var term = $"%{q.Search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            rows = rows.Where(r => EF.Functions.Like(r.k.DisplayName ?? "", term, "\\") || EF.Functions.Like(r.k.Address, term, "\\")
                || db.Messages.Any(m => m.ConversationId == r.c.Id && EF.Functions.Like(m.Text ?? "", term, "\\")));
        }

        var total = await rows.CountAsync(ct);
        var pinnedFirst = rows.OrderByDescending(r => r.c.Pinned);
        var lane = q.Filter is InboxFilter.NeedsReview or InboxFilter.Blocked;
        var ordered = (q.Sort, lane) switch
        {
            // A window that is still open and closes soonest is the one to answer now; a closed one waits for a template.
            (InboxSort.Urgent, true) => pinnedFirst
                .ThenBy(r => r.Kind == ChannelKind.WhatsAppCloud && (r.k.LastInboundUtc == null || r.k.LastInboundUtc < windowOpenSince) ? 1 : 0)
                .ThenBy(r => r.Kind == ChannelKind.WhatsAppCloud ? r.k.LastInboundUtc : r.WaitingSince).ThenBy(r => r.WaitingSince),
            (InboxSort.Oldest, true) => pinnedFirst.ThenBy(r => r.WaitingSince),
            (InboxSort.Newest, true) => pinnedFirst.ThenByDescending(r => r.WaitingSince),
            (InboxSort.Oldest, false) => pinnedFirst.ThenBy(r => r.c.LastActivityUtc),
            _ => pinnedFirst.ThenByDescending(r => r.c.LastActivityUtc),
        };
        var pageSize = Math.Clamp(q.PageSize, 1, MaxPageSize);
        var page = (await ordered.ThenBy(r => r.c.Id).Skip(Math.Max(0, q.Page) * pageSize).Take(pageSize)
            .Select(r => new { r.c.Id, Customer = r.k.DisplayName ?? r.k.Address, r.k.Address, r.LastText, r.Pending, r.WaitingSince,
                r.c.LastActivityUtc, r.c.Pinned, r.c.Status, r.Blocked, r.Kind, r.k.LastInboundUtc })
            .ToListAsync(ct))
            .Select(r => new Row(r.Id, r.Customer, r.Address, r.LastText, r.Pending, r.WaitingSince, r.LastActivityUtc, r.Pinned, r.Status,
                r.Blocked, r.Kind == ChannelKind.WhatsAppCloud ? r.LastInboundUtc + window : null))
            .ToList();

        var open = db.Conversations.Where(c => c.Status != ConversationStatus.Archived);
        var pendingTotal = await open.CountAsync(c => db.Drafts.Any(d => d.ConversationId == c.Id && d.State == DraftState.Pending), ct);
        var blockedTotal = await open.CountAsync(c => db.Drafts.Any(d => d.ConversationId == c.Id && Stopped.Contains(d.State)), ct);
        return new Result(page, total, pendingTotal, blockedTotal);
    }
}
