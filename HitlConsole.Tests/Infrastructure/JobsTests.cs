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
            _ => "SQLiteStorage",
        }, app.Services.GetRequiredService<JobStorage>().GetType().Name);
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

public sealed class ProbeJob
{
    public static readonly ConcurrentDictionary<Guid, DateTime> Seen = new();
    public void Run(Guid marker) => Seen[marker] = DateTime.UtcNow;
}
