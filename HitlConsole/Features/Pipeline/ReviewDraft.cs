using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// A person (or the auto-send job) decides a pending draft. The decision is settled in the
/// database: only the caller whose UPDATE matches the draft's state and version wins, so two
/// simultaneous approvals send exactly once and the other is told who acted first.
/// </summary>
public sealed partial class ReviewDraft(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, IBackgroundJobClient jobs, LiveFeed feed, DraftOutbox outbox,
    IOptions<PipelineOptions> options, TimeProvider clock, ILogger<ReviewDraft> logger)
{
    public const int MaxReplyLength = 4096;

    public abstract record Result
    {
        public sealed record Sent(Guid MessageId) : Result;
        public sealed record Rejected : Result;
        public sealed record Retrying : Result;
        public sealed record NotFound : Result;
        public sealed record AlreadyHandled(DraftState State, string? ByUserId) : Result;
        public sealed record WindowClosed(DateTime? LastInboundUtc) : Result;
        public sealed record Invalid(string Reason) : Result;
    }

    public Task<Result> ApproveAsync(Guid draftId, int version, string? editedText, CancellationToken ct) =>
        SendAsync(draftId, version, editedText, auto: false, ct);

    internal Task<Result> AutoSendAsync(Guid draftId, int version, CancellationToken ct) =>
        SendAsync(draftId, version, null, auto: true, ct);

    public async Task<Result> RejectAsync(Guid draftId, int version, string reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500) return new Result.Invalid("reason");
        await using var db = await factory.CreateDbContextAsync(ct);
        var draft = await db.Drafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null) return new Result.NotFound();
        var now = clock.GetUtcNow().UtcDateTime;
        var won = await db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Pending && d.Version == version)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DraftState.Rejected).SetProperty(d => d.StateReason, reason.Trim())
                .SetProperty(d => d.Version, version + 1).SetProperty(d => d.ReviewedByUserId, tenant.UserId)
                .SetProperty(d => d.UpdatedUtc, now), ct) == 1;
        if (!won) return await AlreadyHandledAsync(db, draftId, ct);
        CancelAutoSend(draft.AutoSendJobId);
        feed.Publish(new LiveEvent(draft.TenantId, LiveEventKind.DraftChanged, draft.ConversationId, draft.MessageId, draft.Id));
        return new Result.Rejected();
    }

    /// <summary>A failed draft's retry: the failure stays in the AiInteraction log, the message goes back to the outbox.</summary>
    public Task<Result> RetryFailedAsync(Guid draftId, CancellationToken ct) => RedraftAsync(draftId, null, null, ct);

    /// <summary>Throws a pending (or failed) draft away and drafts the message again; its AiInteraction stays for analytics.</summary>
    public Task<Result> RegenerateAsync(Guid draftId, int version, CancellationToken ct, string? instruction = null) =>
        instruction?.Trim().Length > MaxInstructionLength ? Task.FromResult<Result>(new Result.Invalid("instruction-length"))
        : RedraftAsync(draftId, version, string.IsNullOrWhiteSpace(instruction) ? null : instruction.Trim(), ct);

    public const int MaxInstructionLength = 500;

    private async Task<Result> RedraftAsync(Guid draftId, int? version, string? instruction, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var draft = await db.Drafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null) return new Result.NotFound();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var gone = version is { } v
                ? await db.Drafts.Where(d => d.Id == draftId && (d.State == DraftState.Failed || (d.State == DraftState.Pending && d.Version == v))).ExecuteDeleteAsync(ct)
                : await db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Failed).ExecuteDeleteAsync(ct);
            if (gone == 0)
                return await AlreadyHandledAsync(db, draftId, ct);
            await db.Messages.Where(m => m.Id == draft.MessageId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.AwaitingDraft, true).SetProperty(m => m.DraftDispatchedUtc, (DateTime?)null)
                    .SetProperty(m => m.DraftInstruction, instruction), ct);
            await tx.CommitAsync(ct);
        }
        CancelAutoSend(draft.AutoSendJobId);
        outbox.Signal();
        feed.Publish(new LiveEvent(draft.TenantId, LiveEventKind.DraftChanged, draft.ConversationId, draft.MessageId, draft.Id));
        return new Result.Retrying();
    }

    private async Task<Result> SendAsync(Guid draftId, int version, string? editedText, bool auto, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var draft = await db.Drafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null) return new Result.NotFound();
        if (draft.State != DraftState.Pending || draft.Version != version) return await AlreadyHandledAsync(db, draftId, ct);

        var text = (editedText ?? draft.Text).Trim();
        if (text.Length == 0 || text.Length > MaxReplyLength) return new Result.Invalid("length");

        var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == draft.ConversationId, ct);
        var channel = await db.Channels.AsNoTracking().SingleAsync(c => c.Id == conversation.ChannelId, ct);
        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (channel.Kind == ChannelKind.WhatsAppCloud
            && (contact.LastInboundUtc is null || now - contact.LastInboundUtc > options.Value.CustomerServiceWindow))
            return new Result.WindowClosed(contact.LastInboundUtc);

        var state = auto ? DraftState.AutoSent : editedText is not null && editedText.Trim() != draft.Text.Trim() ? DraftState.EditedAndSent : DraftState.Approved;
        var message = new Message
        {
            ChannelId = channel.Id, ConversationId = conversation.Id, Direction = MessageDirection.Outbound,
            Author = auto ? MessageAuthor.Ai : MessageAuthor.Agent, Text = text, Type = "text",
            DeliveryState = DeliveryState.Queued, SentUtc = now, CreatedUtc = now,
        };

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var won = await db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Pending && d.Version == version)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, state).SetProperty(d => d.Version, version + 1)
                    .SetProperty(d => d.ReviewedByUserId, auto ? null : tenant.UserId).SetProperty(d => d.Text, text)
                    .SetProperty(d => d.SentMessageId, message.Id).SetProperty(d => d.UpdatedUtc, now), ct) == 1;
            if (!won) return await AlreadyHandledAsync(db, draftId, ct);
            db.Messages.Add(message);
            await db.Conversations.Where(c => c.Id == conversation.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActivityUtc, now), ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        if (!auto) CancelAutoSend(draft.AutoSendJobId);
        jobs.Enqueue<SendMessageJob>(j => j.RunAsync(draft.TenantId, message.Id, CancellationToken.None));
        feed.Publish(new LiveEvent(draft.TenantId, LiveEventKind.DraftChanged, conversation.Id, draft.MessageId, draft.Id));
        LogSent(draft.Id, state);
        return new Result.Sent(message.Id);
    }

    private static async Task<Result> AlreadyHandledAsync(HitlDbContext db, Guid draftId, CancellationToken ct)
    {
        var current = await db.Drafts.AsNoTracking().Where(d => d.Id == draftId)
            .Select(d => new { d.State, d.ReviewedByUserId }).SingleAsync(ct);
        return new Result.AlreadyHandled(current.State, current.ReviewedByUserId);
    }

    private void CancelAutoSend(string? jobId)
    {
        if (jobId is not null) jobs.Delete(jobId); // the job re-checks state and version anyway
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft {DraftId} decided: {State}")]
    private partial void LogSent(Guid draftId, DraftState state);
}
