using Hangfire;
using Hangfire.Storage.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Support;

public static class JobQueue
{
    /// <summary>
    /// Waits until no job is enqueued, processing or scheduled: whatever the app set out to do has been done, so a
    /// test can assert that something did not happen without sleeping for a guessed time.
    /// </summary>
    public static Task<StatisticsDto> QuietAsync(this HitlAppFactory app, double seconds = 20) =>
        Eventually.GetAsync(() =>
        {
            var statistics = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics();
            return Task.FromResult(statistics.Enqueued + statistics.Processing + statistics.Scheduled == 0 ? statistics : null);
        }, seconds, "no job enqueued, processing or scheduled");

    /// <summary>The job's current state name (Enqueued, Scheduled, Deleted, Succeeded…).</summary>
    public static string? StateOf(this HitlAppFactory app, string jobId) =>
        app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId)?.History.FirstOrDefault()?.StateName;
}
