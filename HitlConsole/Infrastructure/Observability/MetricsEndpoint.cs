using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Prometheus;

namespace HitlConsole.Infrastructure.Observability;

/// <summary>
/// <c>/metrics</c> in Prometheus text format. Counters are kept as things happen (<see cref="HitlMetrics"/>); the gauges
/// that describe stored state (pending drafts, job queues) are read from the database when Prometheus scrapes, so every
/// instance reports the same truth and nothing polls while nobody is looking.
/// </summary>
public static partial class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IEndpointConventionBuilder MapMetricsEndpoint(this WebApplication app) =>
        app.MapGet(Path, async (HttpContext http, IDbContextFactory<HitlDbContext> factory, DeliveryLogDatabase deliveryLog, JobStorage storage,
            IOptions<MetricsOptions> options, TimeProvider clock,
            ILoggerFactory logs) =>
        {
            if (!Authorised(http, options.Value.BearerToken))
            {
                LogRefused(logs.CreateLogger(typeof(MetricsEndpoint)));
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }
            try
            {
                await RefreshGaugesAsync(factory, deliveryLog, storage, clock, http.RequestAborted);
            }
            catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
            {
                // A scrape still answers with the counters; the gauges keep their last values.
                LogGaugesFailed(logs.CreateLogger(typeof(MetricsEndpoint)), ex);
            }
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
        }).AllowAnonymous().DisableRateLimiting();

    private static bool Authorised(HttpContext http, string? token)
    {
        if (string.IsNullOrEmpty(token)) return true;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
               && CryptographicOperations.FixedTimeEquals(
                   SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    internal static async Task RefreshGaugesAsync(IDbContextFactory<HitlDbContext> factory, DeliveryLogDatabase deliveryLog, JobStorage storage,
        TimeProvider clock, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var pending = await db.Drafts.IgnoreQueryFilters().Where(d => d.State == DraftState.Pending)
            .GroupBy(d => d.TenantId).Select(g => new { Tenant = g.Key, Count = g.Count() }).ToListAsync(ct);
        var tenants = await db.Tenants.AsNoTracking().Select(t => t.Id).ToListAsync(ct);
        foreach (var tenant in tenants)
            HitlMetrics.PendingDrafts.WithLabels(tenant.ToString()).Set(pending.FirstOrDefault(p => p.Tenant == tenant)?.Count ?? 0);

        await using var log = await deliveryLog.OpenAsync(ct);
        var deliveries = await log.Deliveries.GroupBy(d => d.GaveUpUtc != null)
            .Select(g => new { SetAside = g.Key, Count = g.Count() }).ToListAsync(ct);
        HitlMetrics.WebhookBacklog.WithLabels("unread").Set(deliveries.FirstOrDefault(d => !d.SetAside)?.Count ?? 0);
        HitlMetrics.WebhookBacklog.WithLabels("set_aside").Set(deliveries.FirstOrDefault(d => d.SetAside)?.Count ?? 0);
        // The count alone hides a reader that has stalled on a few deliveries (a saturated host starves its low-priority threads).
        var oldest = await log.Deliveries.Where(d => d.GaveUpUtc == null).MinAsync(d => (DateTime?)d.ReceivedUtc, ct);
        HitlMetrics.WebhookOldestUnread.Set(oldest is { } received ? Math.Max(0, (clock.GetUtcNow().UtcDateTime - received).TotalSeconds) : 0);

        var monitor = storage.GetMonitoringApi();
        foreach (var queue in monitor.Queues()) HitlMetrics.JobQueue.WithLabels(queue.Name, "enqueued").Set(queue.Length);
        HitlMetrics.JobQueue.WithLabels("all", "scheduled").Set(monitor.ScheduledCount());
        HitlMetrics.JobQueue.WithLabels("all", "processing").Set(monitor.ProcessingCount());
        HitlMetrics.JobQueue.WithLabels("all", "failed").Set(monitor.FailedCount());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics scrape refused (401): bearer token missing or wrong")]
    private static partial void LogRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics scrape could not read the pending-draft and job-queue gauges")]
    private static partial void LogGaugesFailed(ILogger logger, Exception ex);
}
