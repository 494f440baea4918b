namespace HitlConsole.Infrastructure;

/// <summary>
/// A background loop that runs one pass once the web server listens (<see cref="HostStarted"/>), then another each time it
/// is signalled or its sweep interval passes, until the host stops. A failed pass is logged and retried on the next signal
/// or sweep; stopping ends the loop quietly, whether it was waiting or in a pass.
/// </summary>
public abstract class SignalledSweeper(IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <summary>The longest wait for a signal before the next pass; read before every wait.</summary>
    protected abstract TimeSpan SweepInterval { get; }

    /// <summary>One pass over whatever is waiting.</summary>
    protected abstract Task SweepAsync(CancellationToken ct);

    /// <summary>Completes when signalled or after <paramref name="timeout"/>; throws when <paramref name="ct"/> is cancelled.</summary>
    protected abstract Task WaitForSignalAsync(TimeSpan timeout, CancellationToken ct);

    /// <summary>Logs a pass that failed while the host was not stopping.</summary>
    protected abstract void LogSweepFailed(Exception ex);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await lifetime.WhenStartedAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(ex);
            }
            try { await WaitForSignalAsync(SweepInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
