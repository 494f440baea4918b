using System.Diagnostics;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HitlConsole.Infrastructure.Observability;

/// <summary>
/// OpenTelemetry tracing: ASP.NET Core, HttpClient, EF Core, background jobs and model calls. Spans are always made (so the
/// trace id reaches every log line and crosses into jobs); they leave the process only when <c>OpenTelemetry:Endpoint</c>
/// names an OTLP collector.
/// </summary>
public static class Tracing
{
    public const string SourceName = "HitlConsole";
    public static readonly ActivitySource Source = new(SourceName);

    public static WebApplicationBuilder AddTracing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OpenTelemetry:ServiceName"] is { Length: > 0 } name ? name : "hitlconsole",
                serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(t =>
            {
                t.AddSource(SourceName)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        // Static files and Blazor's circuit traffic would drown the requests worth reading.
                        o.Filter = http => !http.Request.Path.StartsWithSegments("/_framework") && !http.Request.Path.StartsWithSegments("/_blazor")
                                           && !http.Request.Path.StartsWithSegments("/_content") && !http.Request.Path.StartsWithSegments(MetricsEndpoint.Path);
                    })
                    .AddHttpClientInstrumentation()
                    .AddEntityFrameworkCoreInstrumentation();
                if (builder.Configuration["OpenTelemetry:Endpoint"] is { Length: > 0 } endpoint)
                    t.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
            });

        // Hangfire's filters are process-wide; the filter is stateless, so one instance serves every host in the process.
        lock (Hangfire.GlobalJobFilters.Filters)
            if (!Hangfire.GlobalJobFilters.Filters.Any(f => f.Instance is JobTracingFilter))
                Hangfire.GlobalJobFilters.Filters.Add(new JobTracingFilter());
        return builder;
    }

    /// <summary>The W3C traceparent of the current span, to store with work that continues elsewhere (a row, a job).</summary>
    public static string? CurrentParent => Activity.Current?.Id;

    /// <summary>Starts a span under a stored traceparent (or a new trace when there is none or it does not parse).</summary>
    public static Activity? StartUnder(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal) =>
        Source.StartActivity(name, kind, ActivityContext.TryParse(traceParent, null, out var parent) ? parent : default);

    /// <summary>
    /// One span per background job, a child of whatever enqueued it: the enqueuing span's traceparent travels as a job
    /// parameter, so a webhook, its draft job and the model call share one trace even across instances.
    /// </summary>
    public sealed class JobTracingFilter : JobFilterAttribute, IClientFilter, IServerFilter
    {
        private const string ParentParameter = "traceparent";
        private const string SpanItem = "hitl.span";

        public void OnCreating(CreatingContext context)
        {
            if (CurrentParent is { } parent) context.SetJobParameter(ParentParameter, parent);
        }

        public void OnCreated(CreatedContext context) { }

        public void OnPerforming(PerformingContext context)
        {
            var job = context.BackgroundJob.Job;
            var span = StartUnder($"job {job.Type.Name}.{job.Method.Name}", context.GetJobParameter<string>(ParentParameter), ActivityKind.Consumer);
            span?.SetTag("hangfire.job.id", context.BackgroundJob.Id);
            context.Items[SpanItem] = span;
        }

        public void OnPerformed(PerformedContext context)
        {
            if (!context.Items.TryGetValue(SpanItem, out var item) || item is not Activity span) return;
            if (context.Exception is { } ex && !context.ExceptionHandled) span.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            span.Dispose();
        }
    }
}
