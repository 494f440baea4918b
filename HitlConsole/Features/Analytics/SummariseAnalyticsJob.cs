using Hangfire;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Analytics;

/// <summary>Every workspace's summary, one workspace at a time in its own scope.</summary>
public sealed class SummariseAnalyticsJob(IServiceScopeFactory scopes)
{
    public const string RecurringId = "summarise-analytics";

    [AutomaticRetry(Attempts = 0), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken ct)
    {
        await scopes.ForEachActiveTenantAsync(services => services.GetRequiredService<AnalyticsSummariser>().SummariseAsync(ct), ct);
    }
}
