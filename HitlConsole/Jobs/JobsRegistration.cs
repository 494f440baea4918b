using Hangfire;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Hangfire.PostgreSql;
using Hangfire.Server;
using Hangfire.Storage.SQLite;
using HitlConsole.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace HitlConsole.Jobs;

public static partial class JobsRegistration
{
    public const string DashboardPath = "/jobs";

    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Registered before AddHangfire so each host (tests run several) owns its storage instead of
        // sharing Hangfire's static JobStorage.Current.
        services.AddSingleton<JobStorage>(sp => CreateStorage(
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            sp.GetRequiredService<IOptions<JobsOptions>>().Value));
        services.AddHangfire(cfg => cfg
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseTypeResolver(MovedJobTypes.Resolve));
        services.AddHostedService<JobServerHost>();
        services.AddHostedService<RecurringJobsRegistrar>();
        return builder;
    }

    // Hangfire keeps its dashboard's stylesheets and scripts in process-wide lists: added once, however many apps a process
    // hosts (tests). The script gives the graphs a phone's shape, which Chart.js keeps out of a stylesheet's reach.
    static JobsRegistration()
    {
        Hangfire.Dashboard.DashboardRoutes.AddStylesheet(typeof(JobsRegistration).Assembly, "HitlConsole.Jobs.jobs-dashboard.css");
        Hangfire.Dashboard.DashboardRoutes.AddJavaScript(typeof(JobsRegistration).Assembly, "HitlConsole.Jobs.jobs-dashboard.js");
    }

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        // Authorization is the endpoint's policy; Hangfire's own filter would allow only local requests.
        // The dashboard is installation-wide: it lists every workspace's jobs (with their tenant, message and draft ids) and can
        // trigger, requeue or delete them. So it is for platform operators, not for the Admin of one workspace (isolation).
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
            {
                Authorization = [], AsyncAuthorization = [], AppPath = "/",
                // The footer would show the database file path or the PostgreSQL host to anyone on the page.
                DisplayStorageConnectionString = false,
                // Hangfire translates its pages but not its default title ("Hangfire Dashboard"); a name reads in both languages.
                DashboardTitle = "HitlConsole · Hangfire",
            })
            .RequireAuthorization(Features.Account.AccountRegistration.PlatformOperatorPolicy);
        return app;
    }

    internal static JobStorage CreateStorage(DatabaseOptions db, JobsOptions jobs) => db.ProviderKind switch
    {
        DatabaseProvider.Postgres => new PostgreSqlStorage(
            new NpgsqlConnectionFactory(db.ConnectionString!, new PostgreSqlStorageOptions()),
            new PostgreSqlStorageOptions { QueuePollInterval = jobs.PollInterval, PrepareSchemaIfNecessary = true, SchemaName = "hangfire" }),
        _ => new SqliteJobStorage(SqliteJobsFile(db), new SQLiteStorageOptions { QueuePollInterval = jobs.PollInterval }),
    };

    /// <summary>
    /// Hangfire's own file beside the database (<c>hitlconsole.db</c> → <c>hitlconsole.jobs.db</c>). In the same file, its
    /// queue polls, state changes and locks took SQLite's single write lock from webhooks: ingest p99 at half load 1,049 →
    /// 168–211 ms apart (ADR 0004). Jobs carry ids only and every dispatcher survives a lost job, so nothing needs both in one transaction.
    /// </summary>
    internal static string SqliteJobsFile(DatabaseOptions db) => Path.ChangeExtension(DatabaseOptions.EnsureSqliteFolder(db.ConnectionString!), ".jobs.db");


    /// <summary>Starts a Hangfire server unless <c>Hangfire:ServerEnabled</c> is false for this instance.</summary>
    private sealed partial class JobServerHost(IServiceProvider sp, IOptions<JobsOptions> options, ILogger<JobServerHost> logger) : IHostedService
    {
        private BackgroundJobServer? _server;
        private JobStorage? _storage;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            var o = options.Value;
            if (!o.ServerEnabled)
            {
                LogServerOff();
                return Task.CompletedTask;
            }
            var filters = sp.GetRequiredService<IJobFilterProvider>();
            _storage = sp.GetRequiredService<JobStorage>();
#pragma warning disable CS0618 // the DI-aware constructor, as Hangfire.AspNetCore's own hosted service uses it
            _server = new BackgroundJobServer(
                new BackgroundJobServerOptions { WorkerCount = o.WorkerCount, SchedulePollingInterval = o.PollInterval, ServerName = $"{Environment.MachineName}:{Environment.ProcessId}" },
                _storage,
                Array.Empty<IBackgroundProcess>(),
                filters,
                sp.GetRequiredService<JobActivator>(),
                new BackgroundJobFactory(filters),
                new BackgroundJobPerformer(filters, sp.GetRequiredService<JobActivator>()),
                new BackgroundJobStateChanger(filters));
#pragma warning restore CS0618
            (_storage as SqliteJobStorage)?.ServerStarted();
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            // Hosts can be stopped twice (test servers, a second Ctrl+C): only the first stop owns the server.
            var server = Interlocked.Exchange(ref _server, null);
            if (server is null) return;
            server.SendStop();
            var stopped = false;
            try
            {
                await server.WaitForShutdownAsync(cancellationToken);
                stopped = true;
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout passed: running jobs are abandoned and picked up again after restart.
                LogJobsStillRunning();
            }
            finally
            {
                server.Dispose();
                // Only a server whose threads have all ended lets its SQLite storage close (SqliteJobStorage).
                if (stopped) (_storage as SqliteJobStorage)?.ServerStopped();
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs were still running when the job server had to stop; they run again after the next start")]
        private partial void LogJobsStillRunning();

        [LoggerMessage(Level = LogLevel.Information, Message = "Job server is off in this instance (Hangfire:ServerEnabled=false)")]
        private partial void LogServerOff();
    }
}
