using HitlConsole.Features.Pipeline;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Channels.WhatsApp;

/// <summary>GET: Meta's verification handshake. POST: signed notifications, appended and acknowledged; read behind the answer.</summary>
public static partial class WhatsAppWebhook
{
    public const string Path = "/webhooks/whatsapp";

    public static IEndpointRouteBuilder MapWhatsAppWebhook(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, VerifyAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost(Path, ReceiveAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.Webhook);
        return app;
    }

    private static async Task<IResult> VerifyAsync(HttpRequest request, WhatsAppChannelDirectory channels, CancellationToken ct)
    {
        var mode = request.Query["hub.mode"].ToString();
        var token = request.Query["hub.verify_token"].ToString();
        var challenge = request.Query["hub.challenge"].ToString();
        if (mode != "subscribe" || string.IsNullOrEmpty(challenge)) return Results.StatusCode(403);
        var known = await channels.GetAsync(ct);
        var match = false;
        foreach (var c in known) match |= c.VerifyToken is not null && WhatsAppSignature.TokenEquals(token, c.VerifyToken);
        return match ? Results.Text(challenge, "text/plain") : Results.StatusCode(403);
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, WhatsAppChannelDirectory channels, WebhookLog log,
        IOptions<PipelineOptions> options, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            return await AppendAsync(request, channels, log, options, clock, loggers.CreateLogger(typeof(WhatsAppWebhook)), ct);
        }
        catch (Exception ex) when (DatabaseUnavailable.Is(ex) && !ct.IsCancellationRequested)
        {
            LogUnavailable(loggers.CreateLogger(typeof(WhatsAppWebhook)), ex);
            return DatabaseUnavailable.Respond(request.HttpContext);
        }
    }

    /// <summary>
    /// Store first: a signed, well-formed notification is appended as it arrived and acknowledged; <see cref="WebhookReader"/>
    /// parses it, skips what was already stored and fans it out to conversations behind the answer (ADR 0025).
    /// </summary>
    private static async Task<IResult> AppendAsync(HttpRequest request, WhatsAppChannelDirectory channels, WebhookLog log,
        IOptions<PipelineOptions> options, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        var body = await BoundedBody.ReadAsync(request, options.Value.MaxBodyBytes, ct);
        if (body is null) return BoundedBody.Problem(413, "The body is too large.");

        // Signature first: nothing in an unsigned body is read, not even the phone number id.
        var signature = request.Headers[WhatsAppSignature.Header].ToString();
        var signedBy = (await channels.GetAsync(ct)).Where(c => WhatsAppSignature.IsValid(signature, body, c.AppSecret)).ToList();
        if (signedBy.Count == 0)
        {
            LogUnsigned(logger, string.IsNullOrEmpty(signature));
            HitlMetrics.SignatureFailures.WithLabels("whatsapp").Inc();
            return Results.Unauthorized();
        }
        if (!BoundedBody.IsJson(request)) return BoundedBody.Problem(415, "Send application/json.");
        if (!WhatsAppPayload.IsWellFormed(body))
        {
            LogNotJson(logger);
            return BoundedBody.Problem(400, "The body is not valid JSON.");
        }

        var idle = log.Idle;
        var position = await log.AppendAsync(body, signedBy.Select(c => c.ChannelId), clock.GetUtcNow().UtcDateTime, Tracing.CurrentParent, ct);
        if (idle && options.Value.QuietReadWait > TimeSpan.Zero)
        {
            // Nothing else was waiting to be read, so the reader takes this one at once: a short wait lets the answer come after
            // the messages are in the inbox, as a quiet server always answered. Under a burst nobody waits for the reader.
            try { await log.WhenReadAsync(position, ct).WaitAsync(options.Value.QuietReadWait, ct); }
            catch (TimeoutException) { }
        }
        return Results.Ok();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "WhatsApp webhook answered 503: the database is unavailable; Meta delivers again later")]
    private static partial void LogUnavailable(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook refused: signature missing={Missing} or wrong")]
    private static partial void LogUnsigned(ILogger logger, bool missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook refused a signed body that is not JSON (400)")]
    private static partial void LogNotJson(ILogger logger);
}
