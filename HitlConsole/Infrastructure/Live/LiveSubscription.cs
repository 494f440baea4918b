namespace HitlConsole.Infrastructure.Live;

/// <summary>
/// A component's subscription to the <see cref="LiveFeed"/>: events that pass <see cref="Filter"/> run
/// <see cref="OnEvent"/> on the component's renderer (through <c>InvokeAsync</c>), then ask for a <see cref="Reload"/>.
/// A burst (hundreds of webhooks a second) coalesces: one reload at a time, plus one after it when events arrived
/// meanwhile, so the view always ends on the latest state. Failures go to the component
/// (<c>DispatchExceptionAsync</c>); disposing unsubscribes and cancels a reload under way.
/// </summary>
/// <example>
/// <code>
/// _live = new LiveSubscription(InvokeAsync, DispatchExceptionAsync)
/// {
///     Filter = e => e.ConversationId == ConversationId,
///     Reload = ReloadAsync,
/// }.Start(Feed, tenantId);
/// </code>
/// </example>
public sealed class LiveSubscription(Func<Func<Task>, Task> dispatch, Func<Exception, Task> failed) : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly Lock _gate = new();
    private IDisposable? _feed;
    private CancellationToken _token;
    private Task _reloading = Task.CompletedTask;
    private bool _again, _disposed;

    /// <summary>Runs on the feed's thread, before anything reaches the renderer: keep it cheap.</summary>
    public Func<LiveEvent, bool> Filter { get; init; } = _ => true;

    /// <summary>Each event that passes the filter, in order, on the renderer (e.g. apply a typed payload).</summary>
    public Func<LiveEvent, Task>? OnEvent { get; init; }

    /// <summary>Reads the view again after an event; coalesced, on the renderer; the token ends when this is disposed.</summary>
    public Func<CancellationToken, Task>? Reload { get; init; }

    /// <summary>The reload under way, if any (completed when there is none).</summary>
    public Task Reloading
    {
        get { lock (_gate) return _reloading; }
    }

    public LiveSubscription Start(LiveFeed feed, Guid tenantId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _token = _cts.Token;
        _feed ??= feed.Subscribe(tenantId, e => Filter(e) ? dispatch(() => HandleAsync(e)) : Task.CompletedTask);
        return this;
    }

    /// <summary>
    /// Reads the view now, through the same gate as the events' reloads. A component starts the subscription first and then
    /// loads through here, so a change committed while the page opens is not missed and an older read never lands after a newer one.
    /// </summary>
    public Task LoadAsync()
    {
        if (Reload is null || _disposed) return Task.CompletedTask;
        lock (_gate)
        {
            if (!_reloading.IsCompleted)
            {
                _again = true;
                return _reloading;
            }
            _again = false;
            return _reloading = ReloadAsync(Reload);
        }
    }

    private async Task HandleAsync(LiveEvent e)
    {
        if (_disposed) return;
        if (OnEvent is not null)
        {
            try { await OnEvent(e); }
            catch (Exception ex) when (!IsCancellation(ex)) { await failed(ex); }
        }
        if (Reload is null || _disposed) return;
        lock (_gate)
        {
            // Not awaited here: the feed keeps delivering while the reload runs, so the events behind it coalesce.
            if (!_reloading.IsCompleted) { _again = true; return; }
            _again = false;
            _reloading = ReloadAsync(Reload);
        }
    }

    private async Task ReloadAsync(Func<CancellationToken, Task> reload)
    {
        bool again;
        do
        {
            try { await reload(_token); }
            catch (Exception ex) when (IsCancellation(ex)) { return; }
            catch (Exception ex) { await failed(ex); }
            lock (_gate) (again, _again) = (_again && !_disposed, false);
        } while (again);
    }

    private bool IsCancellation(Exception ex) => ex is OperationCanceledException || (_disposed && ex is ObjectDisposedException);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _feed?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
