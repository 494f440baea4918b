using System.Text.Json;
using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Channels.Templates;

/// <summary>
/// A person sends an approved template into a conversation, whatever the state of the 24-hour window (that is what templates
/// are for). Policy: a template is never sent by the AI — a scope without a signed-in person is refused, and the send job
/// refuses a template message that no agent wrote.
/// </summary>
public sealed partial class SendTemplate(
    IDbContextFactory<HitlDbContext> factory, IBackgroundJobClient jobs, LiveFeed feed, TenantContext tenant, TimeProvider clock,
    ILogger<SendTemplate> logger)
{
    public const int MaxValueLength = 1024;

    public abstract record Result
    {
        public sealed record Sent(Guid MessageId) : Result;
        public sealed record NotFound : Result;
        /// <summary>Only a person may send a template.</summary>
        public sealed record NotAllowed : Result;
        /// <summary>The template is no longer approved (paused, disabled, rejected since the last sync).</summary>
        public sealed record NotApproved(string Status) : Result;
        /// <summary>Slots (0-based) left empty or too long: Meta would answer 132000.</summary>
        public sealed record MissingValues(IReadOnlyList<int> Slots) : Result;
    }

    public sealed record Stored(string Name, string Language, IReadOnlyList<TemplateParameter> Parameters);

    public static Stored? Read(string? json) => json is null ? null : JsonSerializer.Deserialize<Stored>(json, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task<Result> HandleAsync(Guid conversationId, Guid templateId, IReadOnlyList<string> values, CancellationToken ct)
    {
        if (tenant.UserId is null) return new Result.NotAllowed();
        await using var db = await factory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, ct);
        var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, ct);
        if (conversation is null || template is null || template.ChannelId != conversation.ChannelId) return new Result.NotFound();
        if (template.Status != GetTemplates.Approved) return new Result.NotApproved(template.Status);
        var slots = TemplateSlots.Deserialize(template.Slots);
        var missing = slots.Select((_, i) => i)
            .Where(i => i >= values.Count || string.IsNullOrWhiteSpace(values[i]) || values[i].Trim().Length > MaxValueLength).ToList();
        if (missing.Count > 0) return new Result.MissingValues(missing);

        var now = clock.GetUtcNow().UtcDateTime;
        var parameters = slots.Select((s, i) => new TemplateParameter(s.Component, s.Name, values[i].Trim())).ToList();
        var text = TemplateSlots.Render(template.HeaderText, template.BodyText, template.FooterText, slots, values);
        var message = new Message
        {
            ChannelId = conversation.ChannelId, ConversationId = conversation.Id, Direction = MessageDirection.Outbound, Author = MessageAuthor.Agent,
            SentByUserId = tenant.UserId, Type = "template", Text = text.Length > 8192 ? text[..8192] : text, DeliveryState = DeliveryState.Queued, SentUtc = now, CreatedUtc = now,
            Template = JsonSerializer.Serialize(new Stored(template.Name, template.Language, parameters), JsonOptions),
        };
        db.Messages.Add(message);
        db.Record(tenant.UserId, "message.template-sent", nameof(Conversation), conversationId.ToString(), null,
            new { MessageId = message.Id, Template = template.Name, template.Language }, now);
        await db.Conversations.Where(c => c.Id == conversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActivityUtc, now).SetProperty(c => c.AssigneeUserId, c => c.AssigneeUserId ?? tenant.UserId), ct);
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<SendMessageJob>(j => j.RunAsync(conversation.TenantId, message.Id, CancellationToken.None));
        feed.Publish(new LiveEvent(conversation.TenantId, LiveEventKind.MessageReceived, conversationId, message.Id, null));
        LogQueued(message.Id, template.Name);
        return new Result.Sent(message.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Template {Template} queued as message {MessageId}")]
    private partial void LogQueued(Guid messageId, string template);
}
