using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Media;
using HitlConsole.Features.Channels.Templates;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Infrastructure.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Channels;

/// <summary>
/// Delivers one queued outbound message through its channel and records the attempt. A rate limit or a temporary Meta fault
/// schedules the next attempt with exponential backoff (a Hangfire scheduled job, so it survives a restart); a refusal
/// (window closed, undeliverable number, template or parameter problem) fails at once. The agent sees every attempt.
/// </summary>
public sealed partial class SendOutbound(
    IDbContextFactory<HitlDbContext> factory, WhatsAppGraphClient graph, WhatsAppMediaUploader uploader, ChannelSecrets secrets, LiveFeed feed, IBackgroundJobClient jobs,
    IOptions<WhatsAppOptions> options, IOptions<PipelineOptions> pipeline, TimeProvider clock, ILogger<SendOutbound> logger)
{
    public async Task HandleAsync(Guid messageId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var message = await db.Messages.SingleOrDefaultAsync(m => m.Id == messageId, ct);
        if (message is null || message.Direction != MessageDirection.Outbound || message.DeliveryState != DeliveryState.Queued) return;
        var now = clock.GetUtcNow().UtcDateTime;
        // A copy of a job whose retry is scheduled later (a requeue from the dashboard, a second instance) leaves it to that retry.
        if (message.NextAttemptUtc is { } next && next > now.AddSeconds(1)) return;
        // Another job's attempt is under way; a claim older than any attempt lasts was left by a process that stopped mid-call.
        var abandoned = now - pipeline.Value.SendStalledAfter;
        if (message.SendClaimedUtc > abandoned) return;

        // Claim the attempt in the database: of two jobs for the same message, only one calls Meta, and a job that reads the
        // message while another's attempt is under way finds it claimed.
        var number = message.SendAttempts + 1;
        var claimed = await db.Messages
            .Where(m => m.Id == messageId && m.DeliveryState == DeliveryState.Queued && m.SendAttempts == number - 1
                && (m.SendClaimedUtc == null || m.SendClaimedUtc <= abandoned))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SendAttempts, number).SetProperty(m => m.NextAttemptUtc, (DateTime?)null)
                .SetProperty(m => m.SendClaimedUtc, now), ct) == 1;
        if (!claimed) return;
        db.Entry(message).Property(m => m.SendAttempts).OriginalValue = number;
        db.Entry(message).Property(m => m.SendClaimedUtc).OriginalValue = now;
        message.SendAttempts = number;
        message.NextAttemptUtc = null;
        message.SendClaimedUtc = null; // written with the attempt's outcome

        var channel = await db.Channels.AsNoTracking().SingleAsync(c => c.Id == message.ChannelId, ct);
        var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == message.ConversationId, ct);
        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, ct);
        var draftId = await db.Drafts.Where(d => d.SentMessageId == message.Id).Select(d => (Guid?)d.Id).SingleOrDefaultAsync(ct);

        var attempt = new SendAttempt { MessageId = message.Id, Number = number, AttemptedUtc = now };
        if (channel.Kind == ChannelKind.Simulator)
        {
            // The simulator's customer is this app: the reply has arrived as soon as it is sent.
            message.ExternalId = "sim.out." + message.Id.ToString("N");
            message.DeliveryState = DeliveryState.Delivered;
            attempt.Succeeded = true;
        }
        else
        {
            HitlMetrics.SendAttempts.WithLabels("whatsapp").Inc();
            var (result, step) = await CallMetaAsync(db, message, channel, contact.Address, draftId, ct);
            attempt.Step = step;
            switch (result)
            {
                case SendResult.Sent sent:
                    message.ExternalId = sent.Wamid;
                    message.DeliveryState = DeliveryState.Sent;
                    message.ErrorCode = null;
                    message.ErrorTitle = null;
                    attempt.Succeeded = true;
                    break;
                case SendResult.Failed failed:
                    message.ErrorCode = failed.Code;
                    message.ErrorTitle = failed.Title;
                    (attempt.ErrorCode, attempt.ErrorTitle) = (failed.Code, failed.Title);
                    if (failed.Transient && number < options.Value.SendMaxAttempts)
                    {
                        var delay = options.Value.RetryDelay(number + 1, pipeline.Value.SendRetryDelay, failed.RetryAfter);
                        message.NextAttemptUtc = attempt.NextAttemptUtc = now + delay;
                        LogRetrying(message.Id, number, failed.Code, delay);
                    }
                    else
                    {
                        message.DeliveryState = DeliveryState.Failed;
                        LogSendFailed(message.Id, number, failed.Code, failed.Transient);
                        HitlMetrics.SendFailures.WithLabels("whatsapp", failed.Code).Inc();
                    }
                    break;
            }
        }
        db.SendAttempts.Add(attempt);
        await db.SaveChangesAsync(ct);
        if (message.NextAttemptUtc is { } at)
            jobs.Schedule<SendMessageJob>(j => j.RunAsync(message.TenantId, message.Id, CancellationToken.None), at - now);
        feed.Publish(new LiveEvent(message.TenantId, LiveEventKind.DeliveryChanged, message.ConversationId, message.Id, draftId));
    }

    /// <summary>
    /// One attempt's calls to Meta, and which of them answered (<c>upload</c> or <c>send</c>). A message with an attachment is
    /// uploaded first, once: the media id is kept on the message before the send, so a retry of the send reuses it.
    /// </summary>
    private async Task<(SendResult Result, string Step)> CallMetaAsync(HitlDbContext db, Message message, Channel channel, string to, Guid? draftId,
        CancellationToken ct)
    {
        var token = secrets.Unprotect(channel.AccessTokenProtected);
        if (token is null) return (new SendResult.Failed("no-token", "No access token is set for this channel.", false), "send");
        var (baseUrl, version, phone) = (channel.GraphBaseUrl!, channel.GraphVersion ?? "v21.0", channel.PhoneNumberId!);
        if (message.Type == "template")
        {
            var template = SendTemplate.Read(message.Template);
            // Policy: templates are sent by people only; an AI-authored template message never reaches Meta.
            if (template is null || message.Author != MessageAuthor.Agent)
                return (new SendResult.Failed("policy", "Templates are sent by people only.", false), "send");
            return (await graph.SendTemplateAsync(baseUrl, version, phone, token, to, template.Name, template.Language, template.Parameters,
                message.Id.ToString(), ct), "send");
        }
        var callback = (draftId ?? message.Id).ToString();
        if (message.MediaFileId is not { } fileId || message.Type is not ("image" or "document"))
            return (await graph.SendTextAsync(baseUrl, version, phone, token, to, message.Text ?? "", callback, ct), "send");

        var file = await db.MediaFiles.AsNoTracking().Where(f => f.Id == fileId).Select(f => new { f.ContentType, f.FileName, f.Sha256 }).SingleAsync(ct);
        var fileName = file.FileName ?? $"file-{file.Sha256[..8]}";
        if (message.MediaId is null)
        {
            var content = await db.MediaFiles.AsNoTracking().Where(f => f.Id == fileId).Select(f => f.Content).SingleAsync(ct);
            switch (await uploader.UploadAsync(baseUrl, version, phone, token, content, file.ContentType, fileName, ct))
            {
                case UploadResult.Failed failed:
                    return (failed.Error, "upload");
                case UploadResult.Uploaded uploaded:
                    // Kept at once: even if this attempt's send fails (or the app stops), the next attempt sends this id.
                    await db.Messages.Where(m => m.Id == message.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.MediaId, uploaded.MediaId), ct);
                    db.Entry(message).Property(m => m.MediaId).OriginalValue = uploaded.MediaId;
                    message.MediaId = uploaded.MediaId;
                    LogUploaded(message.Id, fileId);
                    break;
            }
        }
        return (await graph.SendMediaAsync(baseUrl, version, phone, token, to, message.Type, message.MediaId!, message.Text,
            message.Type == "document" ? fileName : null, callback, ct), "send");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Attachment {FileId} of outbound message {MessageId} uploaded to WhatsApp")]
    private partial void LogUploaded(Guid messageId, Guid fileId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound message {MessageId} failed on attempt {Attempt} with code {Code} (retryable: {Transient})")]
    private partial void LogSendFailed(Guid messageId, int attempt, string code, bool transient);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound message {MessageId} attempt {Attempt} answered {Code}; trying again in {Delay}")]
    private partial void LogRetrying(Guid messageId, int attempt, string code, TimeSpan delay);
}
