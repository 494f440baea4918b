using HitlConsole.Features.Analytics;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// The conversation list of one inbox page: the view it shows (lane, search, filters, an analytics drill-down), the page
/// of rows, the lanes' badges, and the conversations that started waiting since it was read. One per circuit; the
/// component only renders it.
/// </summary>
/// <param name="follow">
/// How a reload after a live event reads (e.g. a read shared with the workspace's other consoles); without it, like any load.
/// </param>
public sealed class InboxList(GetInbox inbox, Func<GetInbox.Query, CancellationToken, Task<GetInbox.Result>>? follow = null)
{
    public const int PageSize = 30;

    public InboxView View { get; private set; } = new();
    public InboxSort Sort { get; private set; } = InboxSort.Urgent;
    /// <summary>An analytics drill-down: one intent over a range of local days (quarter-hour bounds), or none.</summary>
    public string? Intent { get; private set; }
    public IReadOnlyList<GetInbox.Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int PendingTotal { get; private set; }
    public int BlockedTotal { get; private set; }
    public int Page { get; private set; }
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>Conversations that started waiting since this list was read and are not on the page shown: the "new" button.</summary>
    public IReadOnlyCollection<Guid> Arrivals => _arrivals;

    private readonly HashSet<Guid> _arrivals = [];
    private (long? From, long? To) _drill;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private long _loadsStarted, _loadShown;

    /// <summary>The view a URL names: its lane, search and filters, and the drill-down (intent and local days) analytics links carry.</summary>
    public void Show(InboxView view, string? intent, string? from, string? to, TimeZoneInfo zone)
    {
        (View, Intent, _zone, Page) = (view, intent, zone, 0);
        _drill = !string.IsNullOrWhiteSpace(intent) && DateOnly.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var first)
            && DateOnly.TryParse(to, System.Globalization.CultureInfo.InvariantCulture, out var last)
            && AnalyticsTime.IsPlausible(first) && AnalyticsTime.IsPlausible(last)
            ? AnalyticsTime.Quarters(first, last, zone) : (null, null);
    }

    /// <summary>Another lane, search or filter, from the first page.</summary>
    public void Show(InboxView view) => (View, Page) = (view, 0);

    public void SortBy(InboxSort sort) => (Sort, Page) = (sort, 0);

    /// <summary>Page <paramref name="page"/>, counted from 1 as the pager does.</summary>
    public void GoTo(int page) => Page = Math.Clamp(page - 1, 0, PageCount - 1);

    /// <summary>
    /// Reads the list. Loads may overlap (a live reload while the agent changes lane); one that started earlier than the
    /// list shown is dropped, so an older read never replaces a newer one.
    /// </summary>
    public Task LoadAsync(CancellationToken ct) => LoadAsync(inbox.HandleAsync, ct);

    /// <summary>Reads the list again after a live event, through <c>follow</c> when there is one.</summary>
    public Task FollowAsync(CancellationToken ct) => LoadAsync(follow ?? inbox.HandleAsync, ct);

    private async Task LoadAsync(Func<GetInbox.Query, CancellationToken, Task<GetInbox.Result>> read, CancellationToken ct)
    {
        var load = ++_loadsStarted;
        var result = await read(new GetInbox.Query(View.Lane, View.Search, Page, PageSize, Intent, _drill.From, _drill.To, Sort,
            View.Narrowing(_zone)), ct);
        if (load < _loadShown) return;
        _loadShown = load;
        (Rows, Total, PendingTotal, BlockedTotal) = (result.Rows, result.Total, result.PendingTotal, result.BlockedTotal);
        if (Page > 0 && Rows.Count == 0 && Total > 0)
        {
            Page = PageCount - 1; // the last page emptied while it was shown
            await LoadAsync(read, ct);
        }
        _arrivals.RemoveWhere(id => Rows.Any(r => r.ConversationId == id));
    }

    /// <summary>A draft that appears on a conversation the page does not show is new work the agent would otherwise not see.</summary>
    public void Note(LiveEvent e, Guid? open)
    {
        if (e.Kind == LiveEventKind.DraftChanged && e.ConversationId != open && Rows.All(r => r.ConversationId != e.ConversationId))
            _arrivals.Add(e.ConversationId);
    }

    /// <summary>The arrivals, newest first, in the default lane.</summary>
    public void ShowArrivals()
    {
        (Sort, View, Page) = (InboxSort.Newest, new InboxView(), 0);
        _arrivals.Clear();
    }

    /// <summary>
    /// The next (or previous) conversation waiting for review after <paramref name="current"/>: on this page, else on the
    /// next page round, else the first on this page; null when nothing waits.
    /// </summary>
    public async Task<Guid?> NextWaitingAsync(Guid? current, bool forward, CancellationToken ct)
    {
        var at = Rows.ToList().FindIndex(r => r.ConversationId == current);
        var candidates = forward ? Rows.Skip(at + 1) : Rows.Take(at < 0 ? Rows.Count : at).Reverse();
        var next = candidates.FirstOrDefault(r => r.PendingDrafts > 0);
        if (next is null && PageCount > 1)
        {
            Page = forward ? (Page + 1) % PageCount : (Page + PageCount - 1) % PageCount;
            await LoadAsync(ct);
        }
        next ??= (forward ? Rows : Rows.Reverse()).FirstOrDefault(r => r.PendingDrafts > 0);
        return next?.ConversationId;
    }
}
