using Prometheus;

namespace HitlConsole.Infrastructure.Observability;

/// <summary>
/// The product's own Prometheus series, next to prometheus-net's HTTP and .NET runtime metrics on <c>/metrics</c>.
/// Labels carry kinds, codes and ids only: never a phone number, a name or a message text.
/// </summary>
public static class HitlMetrics
{
    public static readonly Counter InboundMessages = Metrics.CreateCounter("hitl_inbound_messages_total",
        "Customer messages stored, by channel kind and message type.", "channel", "type");

    public static readonly Counter WebhookDuplicates = Metrics.CreateCounter("hitl_webhook_duplicates_total",
        "Inbound messages dropped because the same delivery was already stored (provider redeliveries).", "channel");

    public static readonly Counter SignatureFailures = Metrics.CreateCounter("hitl_webhook_signature_failures_total",
        "Webhook requests refused because no channel's secret signs them.", "channel");

    public static readonly Counter Drafts = Metrics.CreateCounter("hitl_drafts_total",
        "Draft outcomes: drafted, blocked, failed when a draft is made; approved, edited, auto_sent, rejected, expired when it is decided.",
        "outcome");

    public static readonly Counter GuardrailBlocks = Metrics.CreateCounter("hitl_guardrail_blocks_total",
        "Customer messages the guardrail stopped before any model saw them, by class.", "class");

    public static readonly Histogram ModelCallSeconds = Metrics.CreateHistogram("hitl_model_call_duration_seconds",
        "Time of one model call (one profile of the routing chain), by profile name, kind and result.",
        new HistogramConfiguration
        {
            LabelNames = ["profile", "kind", "result"],
            Buckets = Histogram.ExponentialBuckets(0.005, 2, 14), // 5 ms … 41 s
        });

    public static readonly Counter ModelTokens = Metrics.CreateCounter("hitl_model_tokens_total",
        "Tokens the model server reported (real counts, never estimates), by model and direction (input, output).", "model", "direction");

    public static readonly Counter SendAttempts = Metrics.CreateCounter("hitl_send_attempts_total",
        "Outbound messages handed to a channel, by channel kind.", "channel");

    public static readonly Counter SendFailures = Metrics.CreateCounter("hitl_send_failures_total",
        "Outbound messages the channel refused, by channel kind and the provider's error code.", "channel", "code");

    public static readonly Counter ImportRows = Metrics.CreateCounter("hitl_import_rows_total",
        "Knowledge import rows by result: inserted, updated, duplicate, invalid.", "result");

    public static readonly Gauge PendingDrafts = Metrics.CreateGauge("hitl_pending_drafts",
        "Drafts waiting for a person, per workspace (read from the database at scrape time).", "tenant");

    public static readonly Gauge WebhookBacklog = Metrics.CreateGauge("hitl_webhook_deliveries",
        "WhatsApp deliveries acknowledged and not yet read into conversations (unread), or set aside after repeated failures (set_aside); read at scrape time.",
        "state");

    public static readonly Gauge WebhookOldestUnread = Metrics.CreateGauge("hitl_webhook_oldest_unread_seconds",
        "Age of the oldest WhatsApp delivery acknowledged and not yet read into a conversation (0 when none waits); read at scrape time.");

    public static readonly Gauge WarmUpSeconds = Metrics.CreateGauge("hitl_warmup_seconds",
        "How long the start-up warm-up took (models, the guardrail's training, the active workspaces' search indexes); 0 until it has finished.");

    public static readonly Gauge JobQueue = Metrics.CreateGauge("hitl_job_queue_depth",
        "Background jobs by queue and state (enqueued per queue; scheduled, processing, failed overall), read at scrape time.",
        "queue", "state");
}
