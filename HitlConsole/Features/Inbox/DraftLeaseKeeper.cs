namespace HitlConsole.Features.Inbox;

/// <summary>
/// The lease of one open draft editor: claims the draft, renews the lease every third of its duration while the browser
/// is there, claims it again when it was lost and is free, and gives it back when the editor closes. Time comes from
/// <see cref="TimeProvider"/>, so a test drives renewals without waiting.
/// </summary>
public sealed partial class DraftLeaseKeeper(
    DraftLeaseKeeper.ILease lease, Func<bool> pending, TimeProvider clock, TimeSpan leaseDuration, ILogger<DraftLeaseKeeper> logger) : IAsyncDisposable
{
    /// <summary>One draft's lease as one circuit sees it (<see cref="CircuitDraftLease"/> in the app).</summary>
    public interface ILease
    {
        /// <summary>False while the browser is gone: nobody looks at the draft, so nobody should hold it.</summary>
        bool Connected { get; }
        Task<DraftLeases.Result> ClaimAsync(bool takeOver, CancellationToken ct);
        Task<bool> RenewAsync(CancellationToken ct);
        Task ReleaseAsync(CancellationToken ct);
        /// <summary>Keeps the holder's unsent edit for whoever continues the draft; false when this editor no longer holds it.</summary>
        Task<bool> KeepUnsentAsync(string? text, CancellationToken ct);
        /// <summary>Tells the circuit what it holds, so it can let go when the browser goes away.</summary>
        void Holding(bool holding);
    }

    private readonly CancellationTokenSource _cts = new();
    private Task _renewing = Task.CompletedTask;
    private bool _disposed;

    /// <summary>True while this editor holds the lease.</summary>
    public bool Holding { get; private set; }

    /// <summary>Who else reviews the draft; null while this editor may work on it.</summary>
    public string? HeldBy { get; private set; }

    /// <summary>How long typing may go on before the edit is written for colleagues (the last text always lands).</summary>
    public static readonly TimeSpan UnsentDelay = TimeSpan.FromSeconds(1);

    private string? _unsent;
    private bool _unsentWaiting;
    private DateTimeOffset _unsentWritten = DateTimeOffset.MinValue;
    private Task _keeping = Task.CompletedTask;

    /// <summary>Claims the draft (taking it over when asked); returns the edit a reviewer left unsent, when the claim found one.</summary>
    public async Task<DraftLeases.UnsentEdit?> ClaimAsync(bool takeOver)
    {
        // A retained circuit whose browser is gone still re-renders on live events; it must not take the draft back.
        if (!lease.Connected) return null;
        switch (await lease.ClaimAsync(takeOver, _cts.Token))
        {
            case DraftLeases.Result.Claimed claimed:
                (HeldBy, Holding) = (null, true);
                lease.Holding(true);
                return claimed.Unsent;
            case DraftLeases.Result.HeldBy held:
                (HeldBy, Holding) = (held.Name ?? "—", false);
                break;
        }
        return null;
    }

    /// <summary>
    /// The conversation reloaded (it does on every live change): notice when <paramref name="otherHolder"/> took the draft
    /// over, or claim it again when they let go (<paramref name="free"/>); returns the edit they left unsent, if any.
    /// </summary>
    public async Task<DraftLeases.UnsentEdit?> SeenAsync(bool isPending, string? otherHolder, bool free)
    {
        if (!isPending) { HeldBy = null; return null; }
        if (otherHolder is not null) (HeldBy, Holding) = (otherHolder, false);
        else if (HeldBy is not null && free)
        {
            try { return await ClaimAsync(takeOver: false); }
            catch (Exception ex) when (ex is not OperationCanceledException) { LogClaimFailed(ex); }
        }
        return null;
    }

    /// <summary>
    /// The editor's text changed (<paramref name="unsent"/> null: it is the model's text again). While this editor holds
    /// the draft the edit is written at once after a pause, then at most once per <see cref="UnsentDelay"/> of typing (the
    /// last text always lands), so a colleague who takes over continues from what was typed instead of the model's text.
    /// Calls come from the circuit's one thread.
    /// </summary>
    public void Edited(string? unsent)
    {
        _unsent = unsent;
        if (_unsentWaiting || _disposed) return;
        _unsentWaiting = true;
        _keeping = KeepUnsentSoonAsync(wait: clock.GetUtcNow() - _unsentWritten < UnsentDelay);
    }

    private async Task KeepUnsentSoonAsync(bool wait)
    {
        try
        {
            if (wait) await Task.Delay(UnsentDelay, clock, _cts.Token);
            _unsentWaiting = false; // an edit from here on waits for a write of its own
            _unsentWritten = clock.GetUtcNow();
            if (Holding && lease.Connected) await lease.KeepUnsentAsync(_unsent, _cts.Token);
        }
        catch (OperationCanceledException) { }
        catch (Exception ex)
        {
            _unsentWaiting = false;
            LogKeepUnsentFailed(ex); // the browser keeps its own copy; the next edit tries again
        }
    }

    /// <summary>The draft was decided: there is nothing left to hold.</summary>
    public void Decided()
    {
        Holding = false;
        lease.Holding(false);
    }

    /// <summary>
    /// Renews until disposed. A lease lost meanwhile is claimed again through <paramref name="dispatch"/> (the
    /// component's <c>InvokeAsync</c>), and <paramref name="changed"/> re-renders the editor.
    /// </summary>
    public void Start(Func<Func<Task>, Task> dispatch, Action changed) => _renewing = RenewLoopAsync(dispatch, changed);

    private async Task RenewLoopAsync(Func<Func<Task>, Task> dispatch, Action changed)
    {
        using var timer = new PeriodicTimer(leaseDuration / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_cts.Token))
            {
                if (!pending()) return;
                try
                {
                    if (!lease.Connected) { Holding = false; continue; } // the circuit let go; claim again once the browser is back
                    if (Holding && await lease.RenewAsync(_cts.Token)) continue;
                    await dispatch(() => ClaimAgainAsync(changed));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRenewFailed(ex); // the next tick tries again
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task ClaimAgainAsync(Action changed)
    {
        if (!lease.Connected) return;
        await ClaimAsync(takeOver: false);
        // The browser went away while this claim was on its way: the circuit released before the claim landed, so give
        // it back here rather than hold a lease nobody renews.
        if (!lease.Connected && Holding)
        {
            Holding = false;
            await lease.ReleaseAsync(CancellationToken.None);
        }
        changed();
    }

    /// <summary>Stops renewing and gives the lease back (others must not wait for it to expire).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _cts.CancelAsync();
        await _renewing;
        await _keeping;
        if (Holding && pending())
        {
            Holding = false;
            lease.Holding(false);
            // Typing that had not been written yet is written before letting go, for whoever opens the draft next.
            if (_unsentWaiting) try { await lease.KeepUnsentAsync(_unsent, CancellationToken.None); } catch (ObjectDisposedException) { }
            try { await lease.ReleaseAsync(CancellationToken.None); } catch (ObjectDisposedException) { }
        }
        _cts.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing a draft lease failed; trying again on the next tick")]
    private partial void LogRenewFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keeping a draft's unsent edit for colleagues failed")]
    private partial void LogKeepUnsentFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming a draft its reviewer let go of failed")]
    private partial void LogClaimFailed(Exception ex);
}

/// <summary>The keeper's lease in the app: the draft's lease in the database, held for this circuit.</summary>
public sealed class CircuitDraftLease(Guid draftId, DraftLeases leases, ReviewCircuit circuit) : DraftLeaseKeeper.ILease
{
    public bool Connected => circuit.Connected;
    public Task<DraftLeases.Result> ClaimAsync(bool takeOver, CancellationToken ct) => leases.ClaimAsync(draftId, takeOver, ct);
    public Task<bool> RenewAsync(CancellationToken ct) => leases.RenewAsync(draftId, ct);
    public Task ReleaseAsync(CancellationToken ct) => leases.ReleaseAsync(draftId, ct);
    public Task<bool> KeepUnsentAsync(string? text, CancellationToken ct) => leases.KeepUnsentAsync(draftId, text, ct);
    public void Holding(bool holding) => circuit.Holding(holding ? draftId : null);
}
