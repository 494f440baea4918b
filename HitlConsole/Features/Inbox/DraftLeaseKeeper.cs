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

    public async Task ClaimAsync(bool takeOver)
    {
        // A retained circuit whose browser is gone still re-renders on live events; it must not take the draft back.
        if (!lease.Connected) return;
        switch (await lease.ClaimAsync(takeOver, _cts.Token))
        {
            case DraftLeases.Result.Claimed:
                (HeldBy, Holding) = (null, true);
                lease.Holding(true);
                break;
            case DraftLeases.Result.HeldBy held:
                (HeldBy, Holding) = (held.Name ?? "—", false);
                break;
        }
    }

    /// <summary>
    /// The conversation reloaded (it does on every live change): notice when <paramref name="otherHolder"/> took the draft
    /// over, or claim it again when they let go (<paramref name="free"/>).
    /// </summary>
    public async Task SeenAsync(bool isPending, string? otherHolder, bool free)
    {
        if (!isPending) { HeldBy = null; return; }
        if (otherHolder is not null) (HeldBy, Holding) = (otherHolder, false);
        else if (HeldBy is not null && free)
        {
            try { await ClaimAsync(takeOver: false); }
            catch (Exception ex) when (ex is not OperationCanceledException) { LogClaimFailed(ex); }
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
        if (Holding && pending())
        {
            Holding = false;
            lease.Holding(false);
            try { await lease.ReleaseAsync(CancellationToken.None); } catch (ObjectDisposedException) { }
        }
        _cts.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing a draft lease failed; trying again on the next tick")]
    private partial void LogRenewFailed(Exception ex);

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
    public void Holding(bool holding) => circuit.Holding(holding ? draftId : null);
}
