using Hangfire;

namespace HitlConsole.Features.Knowledge.Import;

public sealed class PurgeAbandonedImportsJob(PurgeAbandonedImports handler)
{
    public const string RecurringId = "purge-abandoned-imports";

    [AutomaticRetry(Attempts = 0), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(CancellationToken ct) => handler.HandleAsync(ct);
}
