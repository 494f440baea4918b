using Hangfire;

namespace HitlConsole.Features.Pipeline;

public sealed class ExpireStaleDraftsJob(ExpireStaleDrafts handler)
{
    public const string RecurringId = "expire-stale-drafts";

    [AutomaticRetry(Attempts = 0), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(CancellationToken ct) => handler.HandleAsync(ct);
}
