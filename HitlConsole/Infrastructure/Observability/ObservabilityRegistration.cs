using Serilog.Events;
using System.Security.Claims;
using Hangfire;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;
using Serilog.Formatting.Compact;

namespace HitlConsole.Infrastructure.Observability;

public static class ObservabilityRegistration
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((sp, lc) =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            lc.ReadFrom.Configuration(config)
              .Enrich.FromLogContext()
              .Enrich.WithProperty("Application", "HitlConsole");
            // Compact JSON for log shippers by default; "Logging:Format": "Plain" for people at a terminal.
            if (string.Equals(config["Logging:Format"], "Plain", StringComparison.OrdinalIgnoreCase))
                lc.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j} {TraceId}{NewLine}{Exception}");
            else // "@tr"/"@sp" carry the trace and span id of every event written inside a span
                lc.WriteTo.Console(new RenderedCompactJsonFormatter());
            // Extra sinks registered in DI (a log shipper, or a test that reads every event) get the same events.
            foreach (var sink in sp.GetServices<Serilog.Core.ILogEventSink>()) lc.WriteTo.Sink(sink);
        }, preserveStaticLogger: true); // each host logs through its own logger; the static one is shared by every host in a process

        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<JobStorageHealthCheck>("job-storage", tags: [ReadyTag]);
        builder.AddTracing();
        return builder;
    }

    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>(); // this host's logger, not the static one
            o.GetLevel = LevelOf;
            o.EnrichDiagnosticContext = (diag, http) =>
            {
                var tenant = http.RequestServices.GetService<TenantContext>();
                if (tenant?.TenantId is { } t) diag.Set("TenantId", t);
                if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } user) diag.Set("UserId", user);
            };
        });
        return app;
    }

    /// <summary>
    /// Serilog's default, except for a request its client broke off or gave up on (a dashboard poll cut off by navigating away:
    /// "Unexpected end of request content"; a closed tab): nothing failed on our side, so it is not an Error that pages an operator.
    /// </summary>
    internal static LogEventLevel LevelOf(HttpContext http, double elapsedMs, Exception? ex) => ex switch
    {
        Microsoft.AspNetCore.Http.BadHttpRequestException => LogEventLevel.Warning, // the request itself was broken or cut short
        null or OperationCanceledException when http.RequestAborted.IsCancellationRequested => LogEventLevel.Information,
        not null => LogEventLevel.Error,
        _ => http.Response.StatusCode > 499 ? LogEventLevel.Error : LogEventLevel.Information,
    };

    /// <summary>Pushes tenant and user ids (never names or e-mails) onto every log event of the request.</summary>
    public static IApplicationBuilder UseLogEnrichment(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var tenant = http.RequestServices.GetRequiredService<TenantContext>();
            using (Serilog.Context.LogContext.PushProperty("TenantId", tenant.TenantId))
            using (Serilog.Context.LogContext.PushProperty("UserId", tenant.UserId))
                await next(http);
        });

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        if (app.Configuration.GetValue("Metrics:Enabled", true)) app.MapMetricsEndpoint();
        return app;
    }

    private sealed class DatabaseHealthCheck(IDbContextFactory<HitlDbContext> factory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            return await db.Database.CanConnectAsync(ct)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }

    private sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                using var connection = storage.GetConnection();
                connection.GetAllItemsFromSet("health-probe");
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (Exception ex)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The job storage does not answer.", ex));
            }
        }
    }
}
