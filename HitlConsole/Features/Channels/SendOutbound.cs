using Hangfire;
using HitlConsole.Domain;
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
    IDbContextFactory<HitlDbContext> factory, WhatsAppGraphClient graph, ChannelSecrets secrets, LiveFeed feed, IBackgroundJobClient jobs,
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

        // Claim the attempt in the database: of two jobs for the same message, only one calls Meta.
        var number = message.SendAttempts + 1;
        var claimed = await db.Messages
            .Where(m => m.Id == messageId && m.DeliveryState == DeliveryState.Queued && m.SendAttempts == number - 1)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SendAttempts, number).SetProperty(m => m.NextAttemptUtc, (DateTime?)null), ct) == 1;
        if (!claimed) return;
        db.Entry(message).Property(m => m.SendAttempts).OriginalValue = number;
        message.SendAttempts = number;
        message.NextAttemptUtc = null;

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
            var token = secrets.Unprotect(channel.AccessTokenProtected);
            var template = message.Type == "template" ? SendTemplate.Read(message.Template) : null;
            var result = token is null
                ? new SendResult.Failed("no-token", "No access token is set for this channel.", false)
                : message.Type == "template" && (template is null || message.Author != MessageAuthor.Agent)
                    // Policy: templates are sent by people only; an AI-authored template message never reaches Meta.
                    ? new SendResult.Failed("policy", "Templates are sent by people only.", false)
                : template is not null
                    ? await graph.SendTemplateAsync(channel.GraphBaseUrl!, channel.GraphVersion ?? "v21.0", channel.PhoneNumberId!, token,
                        contact.Address, template.Name, template.Language, template.Parameters, message.Id.ToString(), ct)
                : await graph.SendTextAsync(channel.GraphBaseUrl!, channel.GraphVersion ?? "v21.0", channel.PhoneNumberId!, token,
                    contact.Address, message.Text ?? "", (draftId ?? message.Id).ToString(), ct);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound message {MessageId} failed on attempt {Attempt} with code {Code} (retryable: {Transient})")]
    private partial void LogSendFailed(Guid messageId, int attempt, string code, bool transient);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound message {MessageId} attempt {Attempt} answered {Code}; trying again in {Delay}")]
    private partial void LogRetrying(Guid messageId, int attempt, string code, TimeSpan delay);
}
