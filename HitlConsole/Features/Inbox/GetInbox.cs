using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

public enum InboxFilter { NeedsReview, Mine, All, Archived }

/// <summary>
/// The conversation list: oldest waiting first for review, newest activity otherwise; paged in the database. "Mine" is
/// the conversations assigned to the caller (the first person to review or answer one takes it).
/// </summary>
public sealed class GetInbox(IDbContextFactory<HitlDbContext> factory, Infrastructure.Tenancy.TenantContext tenant)
{
    /// <summary><paramref name="Intent"/> with <paramref name="FromQuarter"/>/<paramref name="ToQuarter"/>: conversations behind an analytics segment.</summary>
    public sealed record Query(InboxFilter Filter, string? Search, int Page, int PageSize, string? Intent = null, long? FromQuarter = null, long? ToQuarter = null);
    public sealed record Row(Guid ConversationId, string Customer, string Address, string? LastText, int PendingDrafts,
        DateTime? WaitingSinceUtc, DateTime LastActivityUtc, bool Pinned, ConversationStatus Status, bool Blocked);
    public sealed record Result(IReadOnlyList<Row> Rows, int Total, int PendingTotal);

    public async Task<Result> HandleAsync(Query q, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows =
            from c in db.Conversations.AsNoTracking()
            join k in db.Contacts on c.ContactId equals k.Id
            select new
            {
                c, k,
                Pending = db.Drafts.Count(d => d.ConversationId == c.Id && (d.State == DraftState.Pending || d.State == DraftState.Blocked || d.State == DraftState.Failed)),
                WaitingSince = db.Drafts.Where(d => d.ConversationId == c.Id && (d.State == DraftState.Pending || d.State == DraftState.Blocked || d.State == DraftState.Failed))
                    .Min(d => (DateTime?)d.CreatedUtc),
                Blocked = db.Drafts.Any(d => d.ConversationId == c.Id && d.State == DraftState.Blocked),
                LastText = db.Messages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.SentUtc).Select(m => m.Text ?? m.Caption ?? m.Type).FirstOrDefault(),
            };

        rows = q.Filter switch
        {
            InboxFilter.Archived => rows.Where(r => r.c.Status == ConversationStatus.Archived),
            InboxFilter.NeedsReview => rows.Where(r => r.c.Status != ConversationStatus.Archived && r.Pending > 0),
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
        var ordered = q.Filter == InboxFilter.NeedsReview
            ? rows.OrderByDescending(r => r.c.Pinned).ThenBy(r => r.WaitingSince).ThenBy(r => r.c.Id)
            : rows.OrderByDescending(r => r.c.Pinned).ThenByDescending(r => r.c.LastActivityUtc).ThenBy(r => r.c.Id);
        var page = await ordered.Skip(Math.Max(0, q.Page) * q.PageSize).Take(Math.Clamp(q.PageSize, 1, 100))
            .Select(r => new Row(r.c.Id, r.k.DisplayName ?? r.k.Address, r.k.Address, r.LastText, r.Pending, r.WaitingSince,
                r.c.LastActivityUtc, r.c.Pinned, r.c.Status, r.Blocked))
            .ToListAsync(ct);
        var pendingTotal = await db.Drafts.CountAsync(d => d.State == DraftState.Pending, ct);
        return new Result(page, total, pendingTotal);
    }
}
