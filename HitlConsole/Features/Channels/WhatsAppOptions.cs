using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Features.Channels;

/// <summary>How the WhatsApp channel retries sends and keeps templates current (docs/operations.md).</summary>
public sealed class WhatsAppOptions
{
    public const string Section = "WhatsApp";

    /// <summary>Calls to Meta for one outbound message, the first included, before a retryable failure becomes final.</summary>
    [Range(1, 20)]
    public int SendMaxAttempts { get; set; } = 5;

    /// <summary>Longest wait between two attempts (the first wait is <c>Pipeline:SendRetryDelay</c>, doubled each time).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan SendMaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>When the recurring job refreshes every workspace's templates from Meta (cron, UTC).</summary>
    [Required]
    public string TemplateSyncCron { get; set; } = "13 */6 * * *";

    /// <summary>Delay before attempt <paramref name="next"/> (2 = the first retry): exponential from <paramref name="first"/>, capped,
    /// and never shorter than what Meta asked for with Retry-After.</summary>
    public TimeSpan RetryDelay(int next, TimeSpan first, TimeSpan? retryAfter)
    {
        var exponential = first * Math.Pow(2, Math.Clamp(next - 2, 0, 30));
        var delay = exponential < SendMaxRetryDelay ? exponential : SendMaxRetryDelay;
        return retryAfter is { } asked && asked > delay ? (asked < SendMaxRetryDelay ? asked : SendMaxRetryDelay) : delay;
    }
}
