using System.Linq.Expressions;
using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// The lanes of the conversation list. "Needs review" holds drafts a person can approve and customers still owed a reply
/// (<see cref="AwaitingReply"/>); "Blocked" holds the drafts the guardrail stopped and the ones the model failed on, so they
/// stay visible without burying new work.
/// </summary>
public enum InboxFilter { NeedsReview, Mine, All, Archived, Blocked }

/// <summary>
/// Urgent: in a lane, the WhatsApp window closing soonest first (closed windows last); over every conversation, those with a
/// draft waiting for a decision first, then the latest activity. Or plain arrival order.
/// </summary>
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
        long? ToQuarter = null, InboxSort Sort = InboxSort.Urgent, Narrowing? Narrow = null);

    /// <summary>
    /// Filters a person sets in the inbox (and shares in its URL): status, assignee (a user id, <see cref="Unassigned"/> or
    /// <see cref="Me"/>), a label, the customer's language, last activity from/until (UTC instants), and the kind of channel.
    /// </summary>
    public sealed record Narrowing(ConversationStatus? Status = null, string? Assignee = null, string? Label = null, string? Language = null,
        DateTime? FromUtc = null, DateTime? UntilUtc = null, ChannelKind? Channel = null, Guid? Team = null)
    {
        public bool Any => Status is not null || Assignee is not null || Label is not null || Language is not null || FromUtc is not null || UntilUtc is not null
            || Channel is not null || Team is not null;
    }

    public const string Unassigned = "none";
    public const string Me = "me";
    public sealed record Row(Guid ConversationId, string Customer, string Address, string? LastText, int PendingDrafts,
        DateTime? WaitingSinceUtc, DateTime LastActivityUtc, bool Pinned, ConversationStatus Status, bool Blocked, DateTime? WindowClosesUtc = null, string? AssigneeUserId = null, string? AssigneeName = null,
        bool Danger = false, bool AwaitingReply = false)
    {
        /// <summary>The preview is a message we sent (the conversation waits on nothing from the customer).</summary>
        public bool LastTextIsOurs { get; init; }
    }
    /// <summary><paramref name="PendingTotal"/> and <paramref name="BlockedTotal"/> count conversations, for the lanes' badges.</summary>
    public sealed record Result(IReadOnlyList<Row> Rows, int Total, int PendingTotal, int BlockedTotal = 0);

    /// <summary>
    /// What makes two callers' reads of <paramref name="q"/> the same (for <see cref="Infrastructure.Live.LiveReads"/>): the
    /// query, and who asks when the answer depends on it ("Mine", the "me" assignee filter).
    /// </summary>
    public object SharedKey(Query q) =>
        (Query: q, User: q.Filter == InboxFilter.Mine || q.Narrow?.Assignee == Me ? tenant.UserId : null);

    private static readonly Expression<Func<Draft, bool>> IsPending = d => d.State == DraftState.Pending;
    private static readonly Expression<Func<Draft, bool>> IsStopped = d => d.State == DraftState.Blocked || d.State == DraftState.Failed;
    private static readonly Expression<Func<Draft, bool>> IsUndecided =
        d => d.State == DraftState.Pending || d.State == DraftState.Blocked || d.State == DraftState.Failed;

    /// <summary>
    /// The badges of the review and blocked lanes: conversations, counted from the waiting drafts (an index range) rather
    /// than from every conversation. The navigation badge reads the same figures (<see cref="GetInboxAlerts"/>).
    /// </summary>
    internal static async Task<(int Review, int Blocked)> LaneTotalsAsync(HitlDbContext db, DateTime awaitingSince, CancellationToken ct)
    {
        var review = await (from d in db.Drafts.Where(IsPending)
                            join c in db.Conversations on d.ConversationId equals c.Id
                            where c.Status != ConversationStatus.Archived select d.ConversationId).Distinct().CountAsync(ct)
            + await AwaitingReply.Conversations(db, awaitingSince).CountAsync(ct);
        var blocked = await (from d in db.Drafts.Where(IsStopped)
                             join c in db.Conversations on d.ConversationId equals c.Id
                             where c.Status != ConversationStatus.Archived select d.ConversationId).Distinct().CountAsync(ct);
        return (review, blocked);
    }

    public async Task<Result> HandleAsync(Query q, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var window = options.Value.CustomerServiceWindow;
        var now = clock.GetUtcNow().UtcDateTime;
        var windowOpenSince = ServiceWindow.Add(now, -window);
        var ttlHours = await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => t.DraftTtlHours).SingleOrDefaultAsync(ct);
        var awaitingSince = AwaitingReply.Since(now, ttlHours);
        // Which drafts make a conversation "waiting" depends on the lane: approvable ones, stopped ones, or either. Written as
        // plain comparisons: a list parameter (IN over json_each) kept SQLite from the (TenantId, State, CreatedUtc) index.
        Expression<Func<Draft, bool>> waiting = q.Filter switch
        {
            InboxFilter.NeedsReview => IsPending,
            InboxFilter.Blocked => IsStopped,
            _ => IsUndecided,
        };
        // First only what filtering and ordering need, so the per-row details below are read for one page, not every row. A lane
        // starts from its waiting drafts (an index range), not from every conversation the workspace ever had.
        var lane = q.Filter is InboxFilter.NeedsReview or InboxFilter.Blocked;
        IQueryable<Candidate> rows;
        if (lane)
        {
            // In the blocked lane a person in danger (self-harm, an emergency) comes before everything else, pins included.
            // Only that lane asks: the review lane, with thousands of waiting conversations, keeps its query as it was.
            var since = q.Filter == InboxFilter.Blocked
                ? from d in db.Drafts.Where(waiting)
                  group d by d.ConversationId into g
                  select new
                  {
                      Id = g.Key, Since = g.Min(d => d.CreatedUtc),
                      Danger = g.Any(d => d.State == DraftState.Blocked && (d.StateReason == DangerReasons[0] || d.StateReason == DangerReasons[1])),
                      Awaiting = false,
                  }
                : (from d in db.Drafts.Where(waiting)
                   group d by d.ConversationId into g
                   select new { Id = g.Key, Since = g.Min(d => d.CreatedUtc), Danger = false, Awaiting = false })
                  .Concat(from a in AwaitingReply.Conversations(db, awaitingSince)
                          select new { a.Id, a.Since, Danger = false, Awaiting = true });
            rows = from w in since
                   join c in db.Conversations on w.Id equals c.Id
                   join k in db.Contacts on c.ContactId equals k.Id
                   join ch in db.Channels on c.ChannelId equals ch.Id
                   where c.Status != ConversationStatus.Archived
                   select new Candidate
                   {
                       Id = c.Id, Status = c.Status, Pinned = c.Pinned, AssigneeUserId = c.AssigneeUserId, LastActivityUtc = c.LastActivityUtc,
                       DisplayName = k.DisplayName, Address = k.Address, LastInboundUtc = k.LastInboundUtc, Kind = ch.Kind, WaitingSince = w.Since,
                       Danger = w.Danger, Awaiting = w.Awaiting,
                   };
        }
        else
        {
            // "Most urgent" over every conversation puts the ones with an undecided draft before the answered ones.
            // The waiting ones are read once (an index range) and joined, not looked up for every conversation.
            // A person in danger (a draft held for self-harm or an emergency) comes before everything, as in the blocked lane.
            var urgent = q.Sort == InboxSort.Urgent;
            var undecided = urgent
                ? db.Drafts.Where(IsUndecided).Select(d => (Guid?)d.ConversationId).Distinct()
                : db.Drafts.Where(d => false).Select(d => (Guid?)d.ConversationId);
            var inDanger = urgent
                ? db.Drafts.Where(IsHeldForDanger).Select(d => (Guid?)d.ConversationId).Distinct()
                : db.Drafts.Where(d => false).Select(d => (Guid?)d.ConversationId);
            rows = from c in db.Conversations.AsNoTracking().Where(InTab(q.Filter, tenant.UserId))
                   join k in db.Contacts on c.ContactId equals k.Id
                   join ch in db.Channels on c.ChannelId equals ch.Id
                   join u in undecided on (Guid?)c.Id equals u into decisions
                   from u in decisions.DefaultIfEmpty()
                   join x in inDanger on (Guid?)c.Id equals x into dangers
                   from x in dangers.DefaultIfEmpty()
                   select new Candidate
                   {
                       Id = c.Id, Status = c.Status, Pinned = c.Pinned, AssigneeUserId = c.AssigneeUserId, LastActivityUtc = c.LastActivityUtc,
                       DisplayName = k.DisplayName, Address = k.Address, LastInboundUtc = k.LastInboundUtc, Kind = ch.Kind,
                       Undecided = u != null, Danger = x != null,
                   };
        }
        if (!string.IsNullOrWhiteSpace(q.Intent))
        {
            var (from, to) = (q.FromQuarter ?? long.MinValue, q.ToQuarter ?? long.MaxValue);
            rows = q.Intent == Analytics.AnalyticsBuckets.NoIntent
                ? rows.Where(r => db.Drafts.Any(d => d.ConversationId == r.Id && d.Intent == null && d.Quarter >= from && d.Quarter < to))
                : rows.Where(r => db.Drafts.Any(d => d.ConversationId == r.Id && d.Intent == q.Intent && d.Quarter >= from && d.Quarter < to));
        }
        if (!string.IsNullOrWhiteSpace(q.Search))
        {
            // The customer's name or number as a substring; the messages through the full-text index (all words, the last
            // as a prefix, accents ignored).
            // A name is compared folded on both sides ("lucia" finds "Lucía"; Like.ContainingFolded names the folding).
            // A number as people write it ("34 600 111 003", "(600) 111-003") is compared by its digits: numbers are stored without spaces.
            var term = Like.Containing(PhoneDigits(q.Search) ?? q.Search.Trim());
            var name = Like.ContainingFolded(q.Search.Trim());
            var matching = MessageSearch.Conversations(db, tenant.TenantId ?? Guid.Empty, q.Search) ?? db.Conversations.Where(_ => false).Select(c => c.Id);
            rows = rows.WhereFolded(r => EF.Functions.Like(r.Address, term, Like.EscapeChar) || matching.Contains(r.Id)
                || EF.Functions.Like(Like.Fold(r.DisplayName), name, Like.EscapeChar));
        }

        if (q.Narrow is { Any: true } n)
        {
            if (n.Status is { } status) rows = rows.Where(r => r.Status == status);
            if (n.Channel is { } kind) rows = rows.Where(r => r.Kind == kind);
            var assignee = n.Assignee == Me ? tenant.UserId ?? "" : n.Assignee;
            if (assignee == Unassigned) rows = rows.Where(r => r.AssigneeUserId == null);
            else if (assignee is not null) rows = rows.Where(r => r.AssigneeUserId == assignee);
            if (LabelConversation.Normalise(n.Label) is { Length: > 0 } label)
                rows = rows.Where(r => db.ConversationLabels.Any(l => l.ConversationId == r.Id && l.Name == label));
            if (!string.IsNullOrWhiteSpace(n.Language))
                rows = rows.Where(r => db.Messages.Any(m => m.ConversationId == r.Id && m.Direction == MessageDirection.Inbound && m.Language == n.Language));
            if (n.FromUtc is { } fromUtc) rows = rows.Where(r => r.LastActivityUtc >= fromUtc);
            if (n.UntilUtc is { } untilUtc) rows = rows.Where(r => r.LastActivityUtc < untilUtc);
            if (n.Team is { } team) rows = rows.Where(r => db.Conversations.Any(c => c.Id == r.Id && c.TeamId == team));
        }

        var (pendingTotal, blockedTotal) = await LaneTotalsAsync(db, awaitingSince, ct);
        // A lane's own badge is its total unless a search or an analytics segment narrows it.
        var narrowed = !string.IsNullOrWhiteSpace(q.Search) || !string.IsNullOrWhiteSpace(q.Intent) || q.Narrow is { Any: true };
        var total = (q.Filter, narrowed) switch
        {
            (InboxFilter.NeedsReview, false) => pendingTotal,
            (InboxFilter.Blocked, false) => blockedTotal,
            // Every conversation has its contact and channel: the tab's count needs neither join nor the drafts.
            (_, false) => await db.Conversations.CountAsync(InTab(q.Filter, tenant.UserId), ct),
            _ => await rows.CountAsync(ct),
        };
        var pinnedFirst = lane ? rows.OrderByDescending(r => r.Danger).ThenByDescending(r => r.Pinned) : rows.OrderByDescending(r => r.Pinned);
        var ordered = (q.Sort, lane) switch
        {
            // A window that is still open and closes soonest is the one to answer now; a closed one waits for a template.
            (InboxSort.Urgent, true) => pinnedFirst
                .ThenBy(r => r.Kind == ChannelKind.WhatsAppCloud && (r.LastInboundUtc == null || r.LastInboundUtc < windowOpenSince) ? 1 : 0)
                .ThenBy(r => r.Kind == ChannelKind.WhatsAppCloud ? r.LastInboundUtc : r.WaitingSince).ThenBy(r => r.WaitingSince),
            (InboxSort.Oldest, true) => pinnedFirst.ThenBy(r => r.WaitingSince),
            (InboxSort.Newest, true) => pinnedFirst.ThenByDescending(r => r.WaitingSince),
            (InboxSort.Oldest, false) => pinnedFirst.ThenBy(r => r.LastActivityUtc),
            _ => pinnedFirst.ThenByDescending(r => r.LastActivityUtc),
        };
        var pageSize = Math.Clamp(q.PageSize, 1, MaxPageSize);
        var skip = Math.Max(0, q.Page) * pageSize;
        List<Candidate> keys;
        if (!lane && q.Sort == InboxSort.Urgent)
        {
            // Sorting every conversation of a large workspace to show thirty cost 260 ms at 32,000. The few that come first (in
            // danger, pinned, a draft undecided) are ordered on their own; the rest follow in the order of activity alone, which
            // stops after one page. The same order as the single query, read in two parts.
            // Read from the undecided drafts and the pinned conversations (a person in danger has a held draft, so is among
            // the undecided), not by testing every conversation.
            var aheadIds = db.Drafts.Where(IsUndecided).Select(d => d.ConversationId)
                .Union(db.Conversations.Where(c => c.Pinned).Select(c => c.Id));
            var ahead = rows.Where(r => aheadIds.Contains(r.Id));
            // Past the first page, unnarrowed, the first part's length is a count of conversations alone: a page beyond it
            // then skips reading the first part at all.
            int? aheadCount = skip > 0 && !narrowed
                ? await db.Conversations.Where(InTab(q.Filter, tenant.UserId)).CountAsync(c => aheadIds.Contains(c.Id), ct)
                : null;
            keys = skip < (aheadCount ?? int.MaxValue)
                ? await ahead.OrderByDescending(r => r.Danger).ThenByDescending(r => r.Pinned).ThenByDescending(r => r.Undecided)
                    .ThenByDescending(r => r.LastActivityUtc).ThenBy(r => r.Id).Skip(skip).Take(pageSize).ToListAsync(ct)
                : [];
            if (keys.Count < pageSize)
            {
                // A short page ends the first part, so its length is known without counting it.
                aheadCount ??= keys.Count > 0 ? skip + keys.Count : await ahead.CountAsync(ct);
                var (restSkip, restTake) = (Math.Max(0, skip - aheadCount.Value), pageSize - keys.Count);
                if (narrowed)
                    keys.AddRange(await rows.Where(r => !aheadIds.Contains(r.Id))
                        .OrderByDescending(r => r.LastActivityUtc).ThenBy(r => r.Id).Skip(restSkip).Take(restTake).ToListAsync(ct));
                else
                {
                    // Unnarrowed, the order needs the conversations alone: joining contacts, channels and drafts for every
                    // one of them before the sort cost 250 ms at 32,000; the page's own rows are read afterwards.
                    var restIds = await db.Conversations.Where(InTab(q.Filter, tenant.UserId)).Where(c => !aheadIds.Contains(c.Id))
                        .OrderByDescending(c => c.LastActivityUtc).ThenBy(c => c.Id).Skip(restSkip).Take(restTake).Select(c => c.Id).ToListAsync(ct);
                    var rest = await rows.Where(r => restIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
                    keys.AddRange(restIds.Where(rest.ContainsKey).Select(id => rest[id]));
                }
                // A conversation pinned or answered between the two reads would otherwise be listed twice (the list keys rows by id).
                keys = keys.DistinctBy(k => k.Id).ToList();
            }
        }
        else keys = await ordered.ThenBy(r => r.Id).Skip(skip).Take(pageSize).ToListAsync(ct);

        var ids = keys.Select(k => k.Id).ToList();
        var counts = await db.Drafts.Where(IsUndecided).Where(d => ids.Contains(d.ConversationId))
            .GroupBy(d => d.ConversationId)
            .Select(g => new
            {
                g.Key, Pending = g.Count(), Blocked = g.Any(d => d.State == DraftState.Blocked), Since = g.Min(d => d.CreatedUtc),
                Danger = g.Any(d => d.State == DraftState.Blocked && (d.StateReason == DangerReasons[0] || d.StateReason == DangerReasons[1])),
            })
            .ToDictionaryAsync(g => g.Key, ct);
        // Outside the lanes ("All", "Mine", a search) a person at risk and a customer still owed a reply are marked too: the
        // same conversation must not look answered in one list and urgent in the other.
        var awaiting = lane ? [] : await AwaitingReply.Conversations(db, awaitingSince).Where(a => ids.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.Since, ct);
        // The latest message, and the customer's latest: a conversation that waits shows what it waits on, not the reply sent
        // before it ("waiting 3 min" beside our own answer hid the customer's second question).
        var lastTexts = await db.Conversations.Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c.Id,
                // Two scalar subqueries, not one of two columns: EF Core reads the latter on SQLite with a window over every
                // message of the workspace (ROW_NUMBER() per conversation), ≈ 110 ms at 32,000 conversations against ≈ 1 ms.
                Text = db.Messages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.SentUtc).Select(m => m.Text ?? m.Caption ?? m.Type).FirstOrDefault(),
                Ours = db.Messages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.SentUtc)
                    .Select(m => m.Direction == MessageDirection.Outbound).FirstOrDefault(),
            })
            .ToDictionaryAsync(c => c.Id, c => (c.Text, c.Ours, Customer: (string?)null), ct);
        // The customer's latest only where the latest is ours, read by the conversation's own message index. Asked for in the
        // query above ("Direction = Inbound, newest first"), SQLite walked the analytics index (TenantId, Direction, SentUtc)
        // backwards through every inbound message.
        DateTime? WaitingSince(Candidate r) => r.WaitingSince ?? counts.GetValueOrDefault(r.Id)?.Since ?? (awaiting.TryGetValue(r.Id, out var owed) ? owed : null);
        foreach (var id in keys.Where(r => WaitingSince(r) is not null && lastTexts.GetValueOrDefault(r.Id).Ours).Select(r => r.Id).ToList())
        {
            var recent = await db.Messages.Where(m => m.ConversationId == id).OrderByDescending(m => m.SentUtc).Take(CustomerTextLookBack)
                .Select(m => new { Text = m.Text ?? m.Caption ?? m.Type, m.Direction }).ToListAsync(ct);
            lastTexts[id] = lastTexts[id] with { Customer = recent.FirstOrDefault(m => m.Direction == MessageDirection.Inbound)?.Text };
        }
        var assigneeIds = keys.Where(k => k.AssigneeUserId != null).Select(k => k.AssigneeUserId!).Distinct().ToList();
        var assignees = assigneeIds.Count == 0 ? new Dictionary<string, string>() : await db.Users.Where(u => assigneeIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToDictionaryAsync(u => u.Id, u => TeamMembers.NameOf(u.DisplayName, u.Email), ct);
        var page = keys.Select(r =>
            {
                var waiting = WaitingSince(r);
                var text = lastTexts.GetValueOrDefault(r.Id);
                // A waiting row whose latest message is ours shows the customer's message it waits on (read above).
                var customersInstead = text.Ours && waiting is not null && text.Customer is not null;
                var ours = text.Ours && !customersInstead;
                return new Row(r.Id, r.DisplayName ?? r.Address, r.Address, customersInstead ? text.Customer : text.Text,
                    counts.GetValueOrDefault(r.Id)?.Pending ?? 0, waiting, r.LastActivityUtc,
                    r.Pinned, r.Status, counts.GetValueOrDefault(r.Id)?.Blocked ?? false,
                    r.Kind == ChannelKind.WhatsAppCloud && r.LastInboundUtc is { } last ? ServiceWindow.Add(last, window) : null,
                    r.AssigneeUserId, r.AssigneeUserId is { } a ? assignees.GetValueOrDefault(a) ?? "—" : null,
                    r.Danger || (counts.GetValueOrDefault(r.Id)?.Danger ?? false), r.Awaiting || awaiting.ContainsKey(r.Id))
                {
                    LastTextIsOurs = ours,
                };
            })
            .ToList();

        return new Result(page, total, pendingTotal, blockedTotal);
    }

    /// <summary>The conversations a tab outside the lanes lists, before any search or narrowing.</summary>
    private static Expression<Func<Conversation, bool>> InTab(InboxFilter filter, string? userId) => filter switch
    {
        InboxFilter.Archived => c => c.Status == ConversationStatus.Archived,
        InboxFilter.Mine => c => c.Status != ConversationStatus.Archived && c.AssigneeUserId == userId,
        _ => c => c.Status != ConversationStatus.Archived,
    };

    /// <summary>How a draft held for a person in danger is stored (<see cref="Draft.StateReason"/>: the guardrail class).</summary>
    private static readonly string[] DangerReasons = [nameof(Ai.GuardrailClass.SelfHarm), nameof(Ai.GuardrailClass.Emergency)];

    /// <summary>A draft the guardrail held because a person may be in danger (the grouped reads above spell it inside their Any).</summary>
    private static readonly Expression<Func<Draft, bool>> IsHeldForDanger =
        d => d.State == DraftState.Blocked && (d.StateReason == DangerReasons[0] || d.StateReason == DangerReasons[1]);

    /// <summary>A conversation as filtering and ordering see it (a class with setters, so EF can order by its members).</summary>
    private sealed class Candidate
    {
        public Guid Id { get; init; }
        /// <summary>Blocked for self-harm or an emergency (the blocked lane, and every-conversation lists most urgent first).</summary>
        public bool Danger { get; init; }
        /// <summary>Owed a reply with no draft to review (<see cref="Inbox.AwaitingReply"/>; the review lane only).</summary>
        public bool Awaiting { get; init; }
        /// <summary>Has a draft waiting for a decision (every-conversation lists, most urgent first only).</summary>
        public bool Undecided { get; init; }
        public ConversationStatus Status { get; init; }
        public bool Pinned { get; init; }
        public string? AssigneeUserId { get; init; }
        public DateTime LastActivityUtc { get; init; }
        public string? DisplayName { get; init; }
        public string Address { get; init; } = "";
        public DateTime? LastInboundUtc { get; init; }
        public ChannelKind Kind { get; init; }
        public DateTime? WaitingSince { get; init; }
    }

    /// <summary>How far back a row looks for the customer's latest message behind our replies (a longer run shows our reply).</summary>
    private const int CustomerTextLookBack = 10;

    /// <summary>The digits of a search written as a phone number (digits, spaces, +, -, dots, brackets; four digits at least), else null.</summary>
    internal static string? PhoneDigits(string search)
    {
        var trimmed = search.Trim();
        if (!trimmed.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '.' or '(' or ')')) return null;
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 4 ? digits : null;
    }
}
