using System.Collections.Concurrent;
using Hangfire;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Infrastructure;

public sealed class JobsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_job_enqueued_in_the_app_runs_on_the_providers_storage(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true",
            ["Hangfire:WorkerCount"] = "2",
        });
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var marker = Guid.NewGuid();

        var started = DateTime.UtcNow;
        client.Enqueue<ProbeJob>(j => j.Run(marker));
        while (!ProbeJob.Seen.ContainsKey(marker) && DateTime.UtcNow - started < TimeSpan.FromSeconds(20))
            await Task.Delay(50);

        Assert.True(ProbeJob.Seen.ContainsKey(marker), "The job did not run within 20 s.");
        Assert.Equal(provider switch
        {
            DatabaseProvider.Postgres => "PostgreSqlStorage",
            _ => "SqliteJobStorage",
        }, app.Services.GetRequiredService<JobStorage>().GetType().Name);
    }

    [Fact]
    public async Task A_job_still_running_when_the_app_stops_ends_on_an_open_sqlite_storage()
    {
        // The factory gives the host 2 s to stop; this job ignores its token, as a draft composing on the CPU does.
        var app = await HitlAppFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true",
            ["Hangfire:WorkerCount"] = "1",
        });
        var storage = app.Services.GetRequiredService<JobStorage>();
        var marker = Guid.NewGuid();
        SlowJob.Gates[marker] = new ManualResetEventSlim();
        var job = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SlowJob>(j => j.Run(marker));
        await Eventually.GetAsync(() => Task.FromResult(SlowJob.Started.ContainsKey(marker) ? "started" : null), 20, "the job's start");

        await app.DisposeAsync();
        SlowJob.Gates[marker].Set();

        // Closing the storage under the worker would end the whole process (a statement on a connection being closed);
        // left open, the worker records the job's end.
        var state = await Eventually.GetAsync(() =>
        {
            var name = storage.GetMonitoringApi().JobDetails(job)?.History.FirstOrDefault()?.StateName;
            return Task.FromResult(name is "Processing" or null ? null : name);
        }, 30, "the job's end in the storage");
        // Once the job has ended the server may finish stopping, and only then may the storage close.
        Assert.Equal("Succeeded", state);
    }

    [Fact]
    public async Task An_instance_with_the_job_server_off_runs_no_jobs()
    {
        await using var app = await HitlAppFactory.CreateAsync(); // the factory turns the server off by default
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var marker = Guid.NewGuid();
        var job = client.Enqueue<ProbeJob>(j => j.Run(marker));

        // No server has registered with the storage, so nothing can ever pick the job up.
        Assert.Empty(app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers());
        Assert.Equal("Enqueued", app.StateOf(job));
        Assert.False(ProbeJob.Seen.ContainsKey(marker));
    }
}

public sealed class SlowJob
{
    public static readonly ConcurrentDictionary<Guid, DateTime> Started = new();
    public static readonly ConcurrentDictionary<Guid, ManualResetEventSlim> Gates = new();

    public void Run(Guid marker)
    {
        Started[marker] = DateTime.UtcNow;
        Gates[marker].Wait(TimeSpan.FromSeconds(30));
    }
}

public sealed class ProbeJob
{
    public static readonly ConcurrentDictionary<Guid, DateTime> Seen = new();
    public void Run(Guid marker) => Seen[marker] = DateTime.UtcNow;
}
