using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace HitlConsole.Infrastructure.Security;

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
