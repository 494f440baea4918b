using System.Text.Json;
using HitlConsole.Features.Pipeline;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Channels.WhatsApp;

/// <summary>GET: Meta's verification handshake. POST: signed notifications, stored and acknowledged fast.</summary>
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

    private static async Task<IResult> ReceiveAsync(HttpRequest request, WhatsAppChannelDirectory channels, IngestInbound ingest,
        Media.MediaDownloads media, IOptions<PipelineOptions> options, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            return await StoreAsync(request, channels, ingest, media, options, clock, loggers.CreateLogger(typeof(WhatsAppWebhook)), ct);
        }
        catch (Exception ex) when (DatabaseUnavailable.Is(ex) && !ct.IsCancellationRequested)
        {
            LogUnavailable(loggers.CreateLogger(typeof(WhatsAppWebhook)), ex);
            return DatabaseUnavailable.Respond(request.HttpContext);
        }
    }

    private static async Task<IResult> StoreAsync(HttpRequest request, WhatsAppChannelDirectory channels, IngestInbound ingest,
        Media.MediaDownloads media, IOptions<PipelineOptions> options, TimeProvider clock, ILogger logger, CancellationToken ct)
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

        ParsedNotification parsed;
        try { parsed = WhatsAppPayload.Parse(body, clock.GetUtcNow().UtcDateTime); }
        catch (JsonException)
        {
            LogNotJson(logger);
            return BoundedBody.Problem(400, "The body is not valid JSON.");
        }
        if (parsed.Repaired) LogRepaired(logger);
        if (parsed.Clamped > 0) LogClamped(logger, parsed.Clamped);

        var byPhone = signedBy.ToDictionary(c => c.PhoneNumberId);
        foreach (var phone in parsed.Messages.Select(m => m.PhoneNumberId).Concat(parsed.Statuses.Select(s => s.PhoneNumberId)).Distinct())
        {
            if (!byPhone.TryGetValue(phone, out var channel))
            {
                LogUnknownNumber(logger, phone);
                continue;
            }
            var result = await ingest.HandleAsync(channel.TenantId, channel.ChannelId, ChannelKind.WhatsAppCloud,
                parsed.Messages.Where(m => m.PhoneNumberId == phone).ToList(),
                parsed.Statuses.Where(s => s.PhoneNumberId == phone).ToList(), ct);
            LogStored(logger, channel.ChannelId, result.Stored, result.Duplicates, result.StatusesApplied);
            await media.EnqueueAsync(channel.TenantId, channel.ChannelId,
                parsed.Messages.Where(m => m.PhoneNumberId == phone && m.MediaId is not null).Select(m => m.ExternalId).ToList(), ct);
        }
        if (parsed.Skipped > 0) LogSkipped(logger, parsed.Skipped);
        return Results.Ok();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "WhatsApp webhook answered 503: the database is unavailable; Meta delivers again later")]
    private static partial void LogUnavailable(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook refused: signature missing={Missing} or wrong")]
    private static partial void LogUnsigned(ILogger logger, bool missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp notification for unknown phone number id {PhoneNumberId} acknowledged and ignored")]
    private static partial void LogUnknownNumber(ILogger logger, string phoneNumberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp channel {ChannelId}: {Stored} new messages, {Duplicates} duplicates, {Statuses} statuses applied")]
    private static partial void LogStored(ILogger logger, Guid channelId, int stored, int duplicates, int statuses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook refused a signed body that is not JSON (400)")]
    private static partial void LogNotJson(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp notification was not valid UTF-8; broken bytes were read as U+FFFD")]
    private static partial void LogRepaired(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp notification had {Clamped} messages with an implausible timestamp; bounded to the receive time")]
    private static partial void LogClamped(ILogger logger, int clamped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp notification had {Skipped} malformed parts; the rest was stored")]
    private static partial void LogSkipped(ILogger logger, int skipped);
}
