using Hangfire;

namespace HitlConsole.Features.Channels;

public sealed class RequeueStalledSendsJob(RequeueStalledSends handler)
{
    public const string RecurringId = "requeue-stalled-sends";

    [AutomaticRetry(Attempts = 0), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(CancellationToken ct) => handler.HandleAsync(ct);
}
