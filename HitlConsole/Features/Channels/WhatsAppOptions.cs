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

    /// <summary>Largest inbound media file kept; a larger one is shown as "too large" and not downloaded.</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MediaMaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Content types of inbound media that are downloaded and kept; anything else is refused (never served back).</summary>
    public HashSet<string> MediaContentTypes { get; set; } =
    [
        "image/jpeg", "image/png", "image/webp", "audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg", "video/mp4", "video/3gpp",
        "application/pdf", "text/plain", "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ];

    /// <summary>Each media request (info or bytes) may take this long before it is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MediaTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First wait before a media request answered 429/5xx or timed out is tried again (three tries, exponential).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan MediaRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest image an agent may attach to a reply (WhatsApp accepts 5 MB).</summary>
    [Range(1024, 5L * 1024 * 1024)]
    public long AttachmentImageMaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Largest document an agent may attach to a reply (WhatsApp accepts 100 MB; it is kept in the database).</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long AttachmentDocumentMaxBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>Content types an agent may attach: images WhatsApp shows inline, and documents.</summary>
    public HashSet<string> AttachmentContentTypes { get; set; } =
    [
        "image/jpeg", "image/png", "image/webp", "application/pdf", "text/plain", "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ];

    /// <summary>How long one upload of an attachment to Meta may take (a 100 MB document on a slow link).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Delay before attempt <paramref name="next"/> (2 = the first retry): exponential from <paramref name="first"/>, capped,
    /// and never shorter than what Meta asked for with Retry-After.</summary>
    public TimeSpan RetryDelay(int next, TimeSpan first, TimeSpan? retryAfter)
    {
        var exponential = first * Math.Pow(2, Math.Clamp(next - 2, 0, 30));
        var delay = exponential < SendMaxRetryDelay ? exponential : SendMaxRetryDelay;
        return retryAfter is { } asked && asked > delay ? (asked < SendMaxRetryDelay ? asked : SendMaxRetryDelay) : delay;
    }
}
