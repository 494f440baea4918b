using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace HitlConsole.Infrastructure.Security;

/// <summary>Per-client limits on the doors strangers can knock on; over the limit: 429 with Retry-After.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in (and first-run) form posts per client address per minute: slows password guessing.</summary>
    [Range(1, 100_000)]
    public int LoginPerMinute { get; set; } = 10;

    /// <summary>WhatsApp webhook deliveries per client address per second (Meta delivers from a few addresses).</summary>
    [Range(1, 1_000_000)]
    public int WebhookPerSecond { get; set; } = 2000;

    /// <summary>Simulator API messages per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int SimulatorPerMinute { get; set; } = 600;

    /// <summary>Sandbox API drafts per client address per minute: each runs the whole model chain, so far fewer than messages.</summary>
    [Range(1, 1_000_000)]
    public int SandboxPerMinute { get; set; } = 60;
}

public static class RateLimits
{
    public const string Login = "login";
    public const string Webhook = "webhook";
    public const string Simulator = "simulator";
    public const string Sandbox = "sandbox";

    public static IServiceCollection AddHitlRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            // Reading the page is free; only posting the form counts.
            o.AddPolicy(Login, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(Client(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Options(http).LoginPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(""));
            o.AddPolicy(Webhook, http => RateLimitPartition.GetTokenBucketLimiter(Client(http), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Options(http).WebhookPerSecond, TokensPerPeriod = Options(http).WebhookPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
            }));
            o.AddPolicy(Simulator, http => RateLimitPartition.GetFixedWindowLimiter(Client(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Options(http).SimulatorPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
            }));
            o.AddPolicy(Sandbox, http => RateLimitPartition.GetFixedWindowLimiter(Client(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Options(http).SandboxPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
            }));
        });
        return services;
    }

    /// <summary>The client's address as Kestrel sees it (behind a proxy, configure forwarded headers so this is the real client).</summary>
    private static string Client(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
}
