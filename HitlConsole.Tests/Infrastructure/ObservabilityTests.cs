using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Serilog.Core;
using Serilog.Events;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>Prometheus metrics and OpenTelemetry traces, read the way an operator's tools read them.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task Metrics_count_deliveries_duplicates_bad_signatures_and_drafts_and_read_pending_drafts_from_the_database()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var client = app.CreateBrowserLikeClient();
        var before = Parse(await client.GetStringAsync("/metrics"));
        var wamid = $"wamid.metrics.{Guid.NewGuid():N}";
        var notification = WhatsAppSender.Notification([WhatsAppSender.TextMessage(wamid, "where is my order?")]);

        Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(notification)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(notification)).StatusCode); // Meta delivers again
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostSignedAsync(notification, secret: "not-the-secret")).StatusCode);
        var tenant = await app.Services.DemoTenantIdAsync();
        await using (var scope = app.Services.ForTenant(tenant))
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            var messageId = await db.Messages.Where(m => m.ExternalId == wamid).Select(m => m.Id).SingleAsync();
            Assert.Equal(GenerateDraft.Outcome.Drafted, await scope.ServiceProvider.GetRequiredService<GenerateDraft>().HandleAsync(messageId, default));
        }

        var response = await client.GetAsync("/metrics");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        var after = Parse(text);
        double Delta(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);

        // Counters are process-wide and other tests run alongside: at least what this test did.
        Assert.True(Delta("hitl_inbound_messages_total{channel=\"whatsapp\",type=\"text\"}") >= 1, text);
        Assert.True(Delta("hitl_webhook_duplicates_total{channel=\"whatsapp\"}") >= 1);
        Assert.True(Delta("hitl_webhook_signature_failures_total{channel=\"whatsapp\"}") >= 1);
        Assert.True(Delta("hitl_drafts_total{outcome=\"drafted\"}") >= 1);
        Assert.True(Delta("hitl_model_call_duration_seconds_count{profile=\"Built-in\",kind=\"built_in\",result=\"ok\"}") >= 1);

        // Gauges come from the database at scrape time: exactly what is stored for this workspace.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var pending = await db.Drafts.IgnoreQueryFilters().CountAsync(d => d.TenantId == tenant && d.State == DraftState.Pending);
            Assert.True(pending >= 1);
            Assert.Equal(pending, after[$"hitl_pending_drafts{{tenant=\"{tenant}\"}}"]);
        }
        Assert.Equal(0, after["hitl_webhook_deliveries{state=\"unread\"}"]); // every acknowledged delivery has been read
        Assert.Equal(0, after["hitl_webhook_deliveries{state=\"set_aside\"}"]);
        Assert.Equal(0, after["hitl_webhook_oldest_unread_seconds"]); // nothing waits, so nothing has waited
        Assert.Contains("hitl_job_queue_depth{queue=\"default\",state=\"enqueued\"}", text);
        Assert.Contains("http_request_duration_seconds", text); // ASP.NET Core requests by endpoint
        Assert.DoesNotContain("34600111222", text); // no phone numbers in labels
    }

    [Fact]
    public async Task A_webhook_its_draft_job_and_the_model_call_share_one_trace_and_the_log_lines_carry_it()
    {
        var spans = new SpanCollection();
        var logs = new TraceLogs();
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true",
            ["Serilog:MinimumLevel:Default"] = "Information",
        }, services: s =>
        {
            s.AddSingleton<ILogEventSink>(logs);
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
        });
        var client = app.CreateBrowserLikeClient();
        var wamid = $"wamid.trace.{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK,
            (await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage(wamid, "I want to cancel my order")]))).StatusCode);

        var factory = app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        var stored = await Eventually.GetAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == wamid)
                .Select(m => new { m.TraceParent, Drafted = db.Drafts.IgnoreQueryFilters().Any(d => d.MessageId == m.Id) })
                .SingleOrDefaultAsync() is { Drafted: true } row ? row : null;
        }, 30, "the draft");
        Assert.True(ActivityContext.TryParse(stored.TraceParent, null, out var parent), $"stored traceparent: {stored.TraceParent}");
        var trace = parent.TraceId;

        // The model span ends before the job span, and the exporter sees a span when it ends.
        var ofTrace = await Eventually.GetAsync(() =>
        {
            var all = spans.Snapshot().Where(a => a.TraceId == trace).ToList();
            return Task.FromResult(all.Any(a => a.DisplayName.StartsWith("job GenerateDraftJob")) ? all : null);
        }, 15, "the job span");

        var request = Assert.Single(ofTrace, a => a.Kind == ActivityKind.Server);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        Assert.Contains(ofTrace, a => a.DisplayName == "draft.dispatch");
        var job = Assert.Single(ofTrace, a => a.DisplayName == "job GenerateDraftJob.RunAsync");
        var model = Assert.Single(ofTrace, a => a.DisplayName == "chat built-in");
        Assert.Equal(job.SpanId, model.ParentSpanId);
        Assert.Equal("chat", model.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("built-in", model.GetTagItem("gen_ai.request.model"));
        Assert.Contains(ofTrace, a => a.Source.Name.Contains("EntityFrameworkCore") || a.GetTagItem("db.system") is not null
                                      || a.GetTagItem("db.system.name") is not null);

        // Log lines written while the request and the job ran carry the same trace id.
        var traced = logs.Events.Where(e => e.TraceId == trace).Select(e => e.MessageTemplate.Text).ToList();
        Assert.Contains(traced, t => t.StartsWith("WhatsApp channel {ChannelId}"));
        Assert.Contains(traced, t => t.StartsWith("Draft {DraftId} for message {MessageId}"));
    }

    /// <summary>Prometheus text format: "name{labels} value" per line, comments skipped.</summary>
    private static Dictionary<string, double> Parse(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: l[(l.LastIndexOf(' ') + 1)..]))
            .GroupBy(x => x.Series).ToDictionary(g => g.Key, g => double.Parse(g.Last().Value, CultureInfo.InvariantCulture));

    /// <summary>The exporter adds from whichever thread ends a span.</summary>
    private sealed class SpanCollection : Collection<Activity>
    {
        private readonly Lock _gate = new();
        protected override void InsertItem(int index, Activity item) { lock (_gate) base.InsertItem(index, item); }
        public Activity[] Snapshot() { lock (_gate) return this.ToArray(); }
    }

    private sealed class TraceLogs : ILogEventSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<LogEvent> _events = new();
        public IEnumerable<LogEvent> Events => _events;
        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }

    [Fact]
    public void A_request_its_client_broke_off_is_no_error_and_a_failure_of_ours_still_is()
    {
        var aborted = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestAborted = new CancellationToken(canceled: true) };
        var open = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        open.Response.StatusCode = 500;
        var cutShort = new Microsoft.AspNetCore.Http.BadHttpRequestException("Unexpected end of request content.");

        Assert.Equal(Serilog.Events.LogEventLevel.Warning, HitlConsole.Infrastructure.Observability.ObservabilityRegistration.LevelOf(open, 20, cutShort));
        Assert.Equal(Serilog.Events.LogEventLevel.Information,
            HitlConsole.Infrastructure.Observability.ObservabilityRegistration.LevelOf(aborted, 20, new OperationCanceledException()));
        Assert.Equal(Serilog.Events.LogEventLevel.Error, HitlConsole.Infrastructure.Observability.ObservabilityRegistration.LevelOf(open, 20, null));
        Assert.Equal(Serilog.Events.LogEventLevel.Error,
            HitlConsole.Infrastructure.Observability.ObservabilityRegistration.LevelOf(aborted, 20, new InvalidOperationException()));
    }
}
