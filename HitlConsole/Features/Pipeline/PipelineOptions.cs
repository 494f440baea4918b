using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Features.Pipeline;

public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Largest webhook or simulator body accepted; larger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How often the outbox sweeper looks for messages still waiting for a draft job.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A message handed to a job this long ago without a draft is handed over again (crash recovery).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RedispatchAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many nice steps below the app's own threads drafts are composed (Linux; 1–19, more is lower priority), so a draft
    /// backlog yields the cores to requests (<see cref="Infrastructure.DraftingThreads"/>). 0 runs drafts on the thread pool at the requests' priority.
    /// </summary>
    [Range(0, 19)]
    public int DraftingNice { get; set; } = 15;

    [Range(0, 50)]
    public int HistoryTurns { get; set; } = 10;

    [Range(0, 100)]
    public int AutoSendThreshold { get; set; } = 85;

    [Range(0, 100)]
    public int ReviewThreshold { get; set; } = 60;

    /// <summary>Intents whose drafts may go out without a person (until the intent catalogue owns this policy).</summary>
    public List<string> AutoSendIntents { get; set; } = [];

    /// <summary>How long an auto-send waits, so a person can still step in.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AutoSendDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a WhatsApp webhook waits for its own delivery to be read into the inbox when nothing else was waiting, so a quiet
    /// server answers Meta after the message is stored (ADR 0025); 0 answers right after the append. Under a burst nobody waits.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan QuietReadWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>First retry delay for WhatsApp sends answered with 429 or 5xx (exponential after that).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan SendRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an outbound message may stay queued with nothing happening before it is queued again
    /// (<see cref="Channels.RequeueStalledSends"/>), and how long a send attempt keeps other jobs away. Longer than one attempt
    /// can last (an attachment's upload, <c>WhatsApp:UploadTimeout</c>, then the send).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SendStalledAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>First backoff when the draft generator fails; two retries follow before the draft is marked failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan ModelRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>WhatsApp only accepts free text within 24 hours of the customer's last message.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan CustomerServiceWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>When the window opened by a customer's message at <paramref name="lastInboundUtc"/> closes; saturates instead of throwing.</summary>
    public DateTime WindowClosesUtc(DateTime lastInboundUtc) => ServiceWindow.Add(lastInboundUtc, CustomerServiceWindow);
}

/// <summary>Window arithmetic that cannot throw: a stored time near <see cref="DateTime.MaxValue"/> (an implausible timestamp
/// from before the webhook clamped them) must not take a conversation or a circuit down.</summary>
public static class ServiceWindow
{
    public static DateTime Add(DateTime utc, TimeSpan span) =>
        span >= TimeSpan.Zero
            ? utc > DateTime.MaxValue - span ? DateTime.SpecifyKind(DateTime.MaxValue, utc.Kind) : utc + span
            : utc < DateTime.MinValue - span ? DateTime.SpecifyKind(DateTime.MinValue, utc.Kind) : utc + span;
}
