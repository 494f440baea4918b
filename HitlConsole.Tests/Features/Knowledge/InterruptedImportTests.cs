using System.Text;
using HitlConsole.Domain;
using HitlConsole.Features.Knowledge.Import;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Knowledge;

/// <summary>An import the server's end cuts off is reported, keeps what it committed, and does not hold the workspace's import slot.</summary>
public sealed class InterruptedImportTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private const int Rows = 10 * RunImport.BatchSize;

    private static readonly byte[] File = Encoding.UTF8.GetBytes("question,answer\n"
        + string.Concat(Enumerable.Range(1, Rows).Select(i => $"Interrupted import question {i}?,Interrupted import answer {i}.\n")));

    [Theory, MemberData(nameof(Providers))]
    public async Task An_import_the_server_stops_during_keeps_its_written_batches_and_the_same_file_adds_the_rest(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var (tenant, admin) = await AdminAsync(app);
        await using var scope = app.Services.ForTenant(tenant, admin);
        var start = scope.ServiceProvider.GetRequiredService<StartImport>();
        var first = await QueueAsync(start);

        // The host's stopping token, cancelled once the first batch is in (as Hangfire cancels a running job when the server stops).
        using var stopping = new CancellationTokenSource();
        using var watch = app.Services.GetRequiredService<LiveFeed>().Subscribe(tenant, e =>
        {
            if (e.Payload is ImportProgress { Inserted: > 0 }) stopping.Cancel();
            return Task.CompletedTask;
        });
        var status = await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(first, stopping.Token);

        var stopped = (await start.GetAsync(first, default))!;
        Assert.Equal((ImportStatus.Failed, "ImportInterrupted"), (status, stopped.FailureReason));
        var written = await CountAsync(app, first);
        Assert.Equal(written, stopped.Inserted); // what the report says is what is stored
        Assert.InRange(written, RunImport.BatchSize, Rows - 1);
        Assert.Equal(0, written % RunImport.BatchSize); // whole batches only: the one in flight was rolled back
        Assert.Null(await start.GetActiveAsync(default));

        // The job delivered again after the restart changes nothing.
        Assert.Equal(ImportStatus.Failed, await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(first, default));
        Assert.Equal(written, await CountAsync(app, first));

        var again = await QueueAsync(start);
        Assert.Equal(ImportStatus.Completed, await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(again, default));
        var done = (await start.GetAsync(again, default))!;
        Assert.Equal((Rows - written, written), (done.Inserted, done.Duplicates));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_import_a_killed_process_left_running_is_reported_as_interrupted_and_frees_the_workspace(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var (tenant, admin) = await AdminAsync(app);
        Guid killed;
        var before = await TotalAsync(app);
        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            var start = scope.ServiceProvider.GetRequiredService<StartImport>();
            killed = await QueueAsync(start, ImportMode.Replace);
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            // What the killed run wrote before it died: its start (a replace's rows never committed).
            await db.KnowledgeImports.IgnoreQueryFilters().Where(i => i.Id == killed)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Running).SetProperty(i => i.StartedUtc, DateTime.UtcNow));
            Assert.IsType<StartImport.QueueResult.Busy>(await start.QueueAsync(
                (await start.UploadAsync("b.csv", new MemoryStream(File), default)).ImportId, Mapping, ImportMode.Append, null, "en", default));
        }

        if (provider == DatabaseProvider.Sqlite)
        {
            // The instance starts again on the same file with its job server: the start-up sweep reports the import.
            await using var restarted = new HitlAppFactory(app.Database, new Dictionary<string, string?> { ["Hangfire:ServerEnabled"] = "true" }, ownsDatabase: false);
            _ = restarted.Services;
        }
        else
        {
            // PostgreSQL instances share imports: Hangfire delivers the job again once its worker is gone, and the job reports it.
            await using var scope = app.Services.ForTenant(tenant, admin);
            await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(killed, default);
        }

        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            var start = scope.ServiceProvider.GetRequiredService<StartImport>();
            var report = (await start.GetAsync(killed, default))!;
            Assert.Equal((ImportStatus.Failed, "ImportInterruptedNothingChanged", 0L, 0L), (report.Status, report.FailureReason, report.Inserted, report.Deleted));
            Assert.NotNull(report.FinishedUtc);
            Assert.Equal(before, await TotalAsync(app));
            Assert.IsType<StartImport.QueueResult.Queued>(await start.QueueAsync(
                (await start.UploadAsync("c.csv", new MemoryStream(File), default)).ImportId, Mapping, ImportMode.Append, null, "en", default, enqueue: false));
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task On_PostgreSQL_an_import_whose_heartbeat_stopped_is_swept_and_one_still_beating_is_left_alone(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var (tenant, admin) = await AdminAsync(app);
        await using var scope = app.Services.ForTenant(tenant, admin);
        var start = scope.ServiceProvider.GetRequiredService<StartImport>();
        var sweep = app.Services.GetRequiredService<InterruptedImports>();
        var id = await QueueAsync(start);
        var stale = DateTime.UtcNow.AddMinutes(-10);

        // Another instance's run, alive: it beat a moment ago. The job delivered again here (Hangfire's invisibility timeout) leaves it alone.
        await SetRunningAsync(app, id, stale, DateTime.UtcNow);
        Assert.Equal(0, await sweep.SweepAsync(default));
        if (provider == DatabaseProvider.Postgres)
        {
            Assert.Equal(ImportStatus.Running, await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(id, default));
            Assert.Equal(ImportStatus.Running, (await start.GetAsync(id, default))!.Status);
        }

        // Its process died: no beat for ten minutes. On PostgreSQL the sweep reports it and the workspace may import again;
        // on SQLite the sweep leaves it to the job server's start (the test above), as one instance owns the file.
        await SetRunningAsync(app, id, stale, stale);
        Assert.IsType<StartImport.QueueResult.Busy>(await start.QueueAsync(
            (await start.UploadAsync("b.csv", new MemoryStream(File), default)).ImportId, Mapping, ImportMode.Append, null, "en", default, enqueue: false));
        Assert.Equal(provider == DatabaseProvider.Postgres ? 1 : 0, await sweep.SweepAsync(default));
        if (provider == DatabaseProvider.Sqlite) return;
        Assert.Equal((ImportStatus.Failed, "ImportInterrupted"), ((await start.GetAsync(id, default))!.Status, (await start.GetAsync(id, default))!.FailureReason));
        Assert.IsType<StartImport.QueueResult.Queued>(await start.QueueAsync(
            (await start.UploadAsync("c.csv", new MemoryStream(File), default)).ImportId, Mapping, ImportMode.Append, null, "en", default, enqueue: false));
    }

    [Fact]
    public async Task A_running_import_beats_and_stops_once_another_instance_reported_it_interrupted()
    {
        await using var app = await HitlAppFactory.CreateAsync(DatabaseProvider.Postgres,
            new Dictionary<string, string?> { ["KnowledgeImport:HeartbeatSeconds"] = "1" });
        var (tenant, admin) = await AdminAsync(app);
        await using var scope = app.Services.ForTenant(tenant, admin);
        var id = await QueueAsync(scope.ServiceProvider.GetRequiredService<StartImport>());
        var started = DateTime.UtcNow.AddSeconds(-1);
        await SetRunningAsync(app, id, started, started);

        using var run = new CancellationTokenSource();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var beating = scope.ServiceProvider.GetRequiredService<ImportHeartbeat>().BeatAsync(id, run, stop.Token);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await HeartbeatAsync(app, id) <= started && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
        Assert.True(await HeartbeatAsync(app, id) > started, "the running import never beat");
        Assert.False(run.IsCancellationRequested);

        // The sweep of another instance reported it while this process could not reach the database: the run is told to stop.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            await db.KnowledgeImports.IgnoreQueryFilters().Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Failed));
        await beating.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(run.IsCancellationRequested);
        Assert.False(stop.IsCancellationRequested);
    }

    private static async Task SetRunningAsync(HitlAppFactory app, Guid id, DateTime started, DateTime beat)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        await db.KnowledgeImports.IgnoreQueryFilters().Where(i => i.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Running).SetProperty(i => i.StartedUtc, started).SetProperty(i => i.HeartbeatUtc, beat));
    }

    private static async Task<DateTime?> HeartbeatAsync(HitlAppFactory app, Guid id)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.KnowledgeImports.IgnoreQueryFilters().Where(i => i.Id == id).Select(i => i.HeartbeatUtc).SingleAsync();
    }

    [Fact]
    public async Task Stopping_the_server_during_an_import_reports_it_interrupted_before_the_server_is_gone()
    {
        var settings = new Dictionary<string, string?> { ["Hangfire:ServerEnabled"] = "true" };
        await using var database = await DatabaseTemplates.CopyAsync(DatabaseProvider.Sqlite, settings);
        Guid importId;
        var big = Encoding.UTF8.GetBytes("question,answer\n"
            + string.Concat(Enumerable.Range(1, 60_000).Select(i => $"Long import question {i}?,Long import answer {i}.\n")));
        var app = new HitlAppFactory(database, settings, ownsDatabase: false);
        await using (app)
        {
            var (tenant, admin) = await AdminAsync(app);
            await using (var scope = app.Services.ForTenant(tenant, admin))
            {
                var start = scope.ServiceProvider.GetRequiredService<StartImport>();
                var preview = await start.UploadAsync("big.csv", new MemoryStream(big), default);
                Assert.IsType<StartImport.QueueResult.Queued>(await start.QueueAsync(preview.ImportId, preview.Suggested, ImportMode.Append, null, "en", default));
                importId = preview.ImportId;
            }
            // The job server takes the import; once its first batch is in, the server is told to stop (as a deploy or Ctrl+C does).
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (await CountAsync(app, importId) == 0 && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
            Assert.True(await CountAsync(app, importId) > 0, "the import never started");
        }

        // Read by an instance without a job server: its start-up sweep would otherwise report a forgotten import itself.
        await using var reader = new HitlAppFactory(database, new Dictionary<string, string?> { ["Hangfire:ServerEnabled"] = "false" }, ownsDatabase: false);
        await using var db = await reader.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var stopped = await db.KnowledgeImports.IgnoreQueryFilters().SingleAsync(i => i.Id == importId);
        Assert.Equal((ImportStatus.Failed, "ImportInterrupted"), (stopped.Status, stopped.FailureReason));
        Assert.Equal(await db.KnowledgeEntries.IgnoreQueryFilters().LongCountAsync(e => e.SourceImportId == importId), stopped.Inserted);
        Assert.InRange(stopped.Inserted, 1, 59_999);
    }

    private static readonly ColumnMapping Mapping = new(new Dictionary<KnowledgeField, string>
    {
        [KnowledgeField.Question] = "question", [KnowledgeField.Answer] = "answer",
    });

    private static async Task<Guid> QueueAsync(StartImport start, ImportMode mode = ImportMode.Append)
    {
        var preview = await start.UploadAsync("knowledge.csv", new MemoryStream(File), default);
        Assert.IsType<StartImport.QueueResult.Queued>(await start.QueueAsync(preview.ImportId, preview.Suggested, mode, null, "en", default, enqueue: false));
        return preview.ImportId;
    }

    private static async Task<(Guid Tenant, string Admin)> AdminAsync(HitlAppFactory app)
    {
        var tenant = await app.Services.DemoTenantIdAsync();
        return (tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
    }

    private static async Task<long> CountAsync(HitlAppFactory app, Guid importId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.KnowledgeEntries.IgnoreQueryFilters().LongCountAsync(e => e.SourceImportId == importId);
    }

    private static async Task<int> TotalAsync(HitlAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.KnowledgeEntries.IgnoreQueryFilters().CountAsync();
    }
}
