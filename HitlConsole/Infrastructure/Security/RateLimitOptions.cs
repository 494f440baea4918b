using System.ComponentModel.DataAnnotations;

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
