namespace HitlConsole.Infrastructure;

/// <summary>
/// Start-up work that no first request needs (model warm-ups, the first outbox and embedding sweeps) waits until the web
/// server listens; the job server and the recurring job registrations still come before it (docs/performance.md). Hosted services start before Kestrel, so on two cores that
/// work used to delay the first sign-in page by seconds (docs/performance.md, "Cold start").
/// </summary>
public static class HostStarted
{
    /// <summary>Completes once the host has started (at once if it already has); cancelled with <paramref name="ct"/>.</summary>
    public static async Task WhenStartedAsync(this IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (ct.Register(() => started.TrySetCanceled(ct)))
            await started.Task;
    }
}
