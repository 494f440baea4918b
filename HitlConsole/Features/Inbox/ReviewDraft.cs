using HitlConsole.Features.Ai;
using HitlConsole.Features.Pipeline;
using Hangfire;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Features.Channels;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// A person (or the auto-send job) decides a pending draft. The decision is settled in the
/// database: only the caller whose UPDATE matches the draft's state and version wins, so two
/// simultaneous approvals send exactly once and the other is told who acted first.
/// </summary>
public sealed partial class ReviewDraft(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, IBackgroundJobClient jobs, LiveFeed feed, DraftOutbox outbox,
    IOptions<PipelineOptions> options, TimeProvider clock, ConversationPlaceholders placeholders, ILogger<ReviewDraft> logger)
{
    public const int MaxReplyLength = 4096;

    public abstract record Result
    {
        public sealed record Sent(Guid MessageId) : Result;
        public sealed record Rejected : Result;
        /// <summary>Closed without a reply (a blocked or failed draft a person dealt with another way).</summary>
        public sealed record Handled : Result;
        public sealed record Forbidden : Result;
        public sealed record Retrying : Result;
        public sealed record NotFound : Result;
        public sealed record AlreadyHandled(DraftState State, string? ByUserId, string? ByName = null) : Result;
        public sealed record WindowClosed(DateTime? LastInboundUtc) : Result;
        public sealed record Invalid(string Reason) : Result;
        /// <summary>Someone else is reviewing the draft (a live lease); take it over first.</summary>
        public sealed record HeldBy(string? Name) : Result;
    }

    /// <summary>Approves (or edits and sends) a draft; <paramref name="attachmentId"/> is a file stored by <c>AttachFile</c> that goes with it.</summary>
    public Task<Result> ApproveAsync(Guid draftId, int version, string? editedText, CancellationToken ct, Guid? attachmentId = null) =>
        SendAsync(draftId, version, editedText, auto: false, ct, attachmentId);

    internal Task<Result> AutoSendAsync(Guid draftId, int version, CancellationToken ct) =>
        SendAsync(draftId, version, null, auto: true, ct);

    public async Task<Result> RejectAsync(Guid draftId, int version, string reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500) return new Result.Invalid("reason");
        await using var db = await factory.CreateDbContextAsync(ct);
        var draft = await db.Drafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null) return new Result.NotFound();
        var now = clock.GetUtcNow().UtcDateTime;
        var me = tenant.UserId;
        var won = await db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Pending && d.Version == version)
            .Where(d => d.ClaimedByUserId == null || d.ClaimedByUserId == me || d.LeaseExpiresUtc < now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DraftState.Rejected).SetProperty(d => d.StateReason, reason.Trim())
                .SetProperty(d => d.Version, version + 1).SetProperty(d => d.ReviewedByUserId, me)
                .SetProperty(d => d.ClaimedByUserId, (string?)null).SetProperty(d => d.LeaseExpiresUtc, (DateTime?)null)
                .SetProperty(d => d.UpdatedUtc, now), ct) == 1;
        if (!won) return await AlreadyHandledAsync(db, draftId, ct);
        db.Record(me, "draft.rejected", nameof(Draft), draftId.ToString(), null, new { Reason = reason.Trim() }, now);
        // The customer still waits for an answer, and the person who turned the draft down is the one who knows why.
        await AssignToDeciderAsync(db, draft.ConversationId, me, ct);
        await db.SaveChangesAsync(ct);
        CancelAutoSend(draft.AutoSendJobId);
        HitlMetrics.Drafts.WithLabels("rejected").Inc();
        feed.Publish(new LiveEvent(draft.TenantId, LiveEventKind.DraftChanged, draft.ConversationId, draft.MessageId, draft.Id));
        return new Result.Rejected();
    }

    /// <summary>
    /// A blocked, failed or pending draft closed without sending anything: the customer was answered another way (by
    /// phone, in a later message) or needs no answer. Audited with the person's note.
    /// </summary>
    public async Task<Result> CloseAsHandledAsync(Guid draftId, int version, string? note, CancellationToken ct)
    {
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note?.Length > 400) return new Result.Invalid("note");
        await using var db = await factory.CreateDbContextAsync(ct);
        var draft = await db.Drafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null) return new Result.NotFound();
        var (me, now) = (tenant.UserId, clock.GetUtcNow().UtcDateTime);
        var won = await MarkHandledAsync(db.Drafts.Where(d => d.Id == draftId && d.Version == version && Undecided.Contains(d.State))
            .Where(d => d.ClaimedByUserId == null || d.ClaimedByUserId == me || d.LeaseExpiresUtc < now), note ?? "handled", me, now, ct) == 1;
        if (!won) return await AlreadyHandledAsync(db, draftId, ct);
        db.Record(me, "draft.handled", nameof(Draft), draftId.ToString(), new { State = draft.State.ToString() }, new { Note = note }, now);
        await db.SaveChangesAsync(ct);
        CancelAutoSend(draft.AutoSendJobId);
        feed.Publish(new LiveEvent(draft.TenantId, LiveEventKind.DraftChanged, draft.ConversationId, draft.MessageId, draft.Id));
        return new Result.Handled();
    }

    /// <summary>
    /// The conversation was resolved or archived: what still waited for a person in it (a pending, blocked or failed draft) is
    /// closed as handled with <paramref name="reason"/>, audited and its auto-send cancelled, so the review lanes and their
    /// counts do not keep work nobody owes, and no reply goes out into a closed conversation. The number closed.
    /// </summary>
    public async Task<int> CloseWaitingAsync(Guid conversationId, string reason, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (me, now) = (tenant.UserId, clock.GetUtcNow().UtcDateTime);
        var waiting = await db.Drafts.AsNoTracking().Where(d => d.ConversationId == conversationId && Undecided.Contains(d.State))
            .Select(d => new { d.Id, d.State, d.AutoSendJobId, d.MessageId, d.TenantId }).ToListAsync(ct);
        var jobs = await MarkEachHandledAsync(db, waiting.Select(d => (d.Id, d.State, d.AutoSendJobId)), reason, me, now, null, ct);
        if (jobs.Count == 0) return 0;
        foreach (var job in jobs) CancelAutoSend(job);
        await db.SaveChangesAsync(ct);
        feed.Publish(new LiveEvent(waiting[0].TenantId, LiveEventKind.DraftChanged, conversationId, waiting[0].MessageId, waiting[0].Id));
        return jobs.Count;
    }

    /// <summary>
    /// An Admin judges a guardrail block a false positive: the blocked draft goes, and the message is drafted again without
    /// the pre-scan (once). Audited with the class that tripped, so a pattern of releases shows which rule to tune.
    /// </summary>
    public async Task<Result> ReleaseGuardrailAsync(Guid draftId, int version, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var draft = await db.Drafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null) return new Result.NotFound();
        var me = tenant.UserId;
        var isAdmin = me is not null && await db.WorkspaceMembers.AnyAsync(m => m.UserId == me && m.Role == Roles.Admin && !m.IsDisabled, ct);
        if (!isAdmin) return new Result.Forbidden();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var gone = await db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Blocked && d.Version == version).ExecuteDeleteAsync(ct);
            if (gone == 0) return await AlreadyHandledAsync(db, draftId, ct);
            await db.Messages.Where(m => m.Id == draft.MessageId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.AwaitingDraft, true).SetProperty(m => m.DraftDispatchedUtc, (DateTime?)null)
                    .SetProperty(m => m.GuardrailReleased, true), ct);
            db.Record(me, "draft.guardrail-released", nameof(Draft), draftId.ToString(), new { Class = draft.StateReason, Triggered = draft.Reasoning }, null,
                clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        outbox.Signal();
        feed.Publish(new LiveEvent(draft.TenantId, LiveEventKind.DraftChanged, draft.ConversationId, draft.MessageId, draft.Id));
        return new Result.Retrying();
    }

    /// <summary>
    /// A conversation becomes "mine" by a decision on it (an answer, a rejection), not by opening it: a look, a supervisor's
    /// check or a peek from the list claims nothing. One conditional UPDATE, so a colleague's assignment stands.
    /// </summary>
    private static Task AssignToDeciderAsync(HitlDbContext db, Guid conversationId, string? me, CancellationToken ct) =>
        me is null ? Task.CompletedTask
        : db.Conversations.Where(c => c.Id == conversationId && c.AssigneeUserId == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssigneeUserId, me), ct);

    /// <summary>The drafts matched closed as handled, without sending: the lease goes, the version moves on.</summary>
    private static Task<int> MarkHandledAsync(IQueryable<Draft> drafts, string reason, string? me, DateTime now, CancellationToken ct) =>
        drafts.ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DraftState.Handled).SetProperty(d => d.StateReason, reason)
            .SetProperty(d => d.Version, d => d.Version + 1).SetProperty(d => d.ReviewedByUserId, me)
            .SetProperty(d => d.ClaimedByUserId, (string?)null).SetProperty(d => d.LeaseExpiresUtc, (DateTime?)null)
            .SetProperty(d => d.UpdatedUtc, now), ct);

    private static readonly DraftState[] Undecided = [DraftState.Pending, DraftState.Blocked, DraftState.Failed];

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
            var (me, now) = (tenant.UserId, clock.GetUtcNow().UtcDateTime);
            var gone = version is { } v
                ? await db.Drafts.Where(d => d.Id == draftId && (d.State == DraftState.Failed || (d.State == DraftState.Pending && d.Version == v
                        && (d.ClaimedByUserId == null || d.ClaimedByUserId == me || d.LeaseExpiresUtc < now)))).ExecuteDeleteAsync(ct)
                : await db.Drafts.Where(d => d.Id == draftId && d.State == DraftState.Failed).ExecuteDeleteAsync(ct);
            if (gone == 0)
                return await AlreadyHandledAsync(db, draftId, ct);
            await db.Messages.Where(m => m.Id == draft.MessageId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.AwaitingDraft, true).SetProperty(m => m.DraftDispatchedUtc, (DateTime?)null)
                    .SetProperty(m => m.DraftInstruction, instruction), ct);
            db.Record(tenant.UserId, draft.State == DraftState.Failed ? "draft.retried" : "draft.regenerated", nameof(Draft), draftId.ToString(),
                null, new { Instruction = instruction }, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        CancelAutoSend(draft.AutoSendJobId);
        outbox.Signal();
        feed.Publish(new LiveEvent(draft.TenantId, LiveEventKind.DraftChanged, draft.ConversationId, draft.MessageId, draft.Id));
        return new Result.Retrying();
    }

    private async Task<Result> SendAsync(Guid draftId, int version, string? editedText, bool auto, CancellationToken ct, Guid? attachmentId = null)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var draft = await db.Drafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null) return new Result.NotFound();
        // A blocked or failed draft holds the neutral or fallback reply: a person may send it, or their own text, instead.
        var sendable = draft.State == DraftState.Pending || (!auto && draft.State is DraftState.Blocked or DraftState.Failed);
        if (!sendable || draft.Version != version) return await AlreadyHandledAsync(db, draftId, ct);

        var text = (editedText ?? draft.Text).Trim();
        if (text.Length == 0 || text.Length > MaxReplyLength) return new Result.Invalid("length");
        var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == draft.ConversationId, ct);
        // A person's edit is filled as the draft was ({{customer_name}}, workspace variables); what stays unknown is refused.
        text = await FilledAsync(db, conversation, text, ct);
        if (Placeholders.Any(text)) return new Result.Invalid("placeholders"); // nothing unfinished reaches a customer, auto-send included

        var now = clock.GetUtcNow().UtcDateTime;
        var (channel, closed) = await WindowAsync(db, conversation, now, ct);
        if (closed is not null) return closed;

        var changed = !auto && editedText is not null && editedText.Trim() != draft.Text.Trim();
        // A suggested reply sent as the model wrote it is the model's text approved, not a person's edit: analytics counts it
        // as approved with no edit size, and it is not offered as new knowledge. The history still shows what it replaced.
        var suggestion = changed && draft.State == DraftState.Pending && await IsSuggestionAsync(db, conversation, draft, text, ct);
        var state = auto ? DraftState.AutoSent : changed && !suggestion ? DraftState.EditedAndSent : DraftState.Approved;
        var distance = state == DraftState.EditedAndSent ? Quickenshtein.Levenshtein.GetDistance(draft.Text.Trim(), text) : 0;
        string? original = changed ? draft.Text : null;
        var me = auto ? null : tenant.UserId;
        var askedUtc = await db.Messages.Where(m => m.Id == draft.MessageId).Select(m => m.SentUtc).SingleAsync(ct);
        var responseSeconds = (int)Math.Clamp((now - askedUtc).TotalSeconds, 0, int.MaxValue);
        var outgoing = await OutboundReply.ComposeAsync(db, channel.Id, conversation.Id, auto ? MessageAuthor.Ai : MessageAuthor.Agent, me, text,
            auto ? null : attachmentId, now, ct);
        if (outgoing is null) return new Result.Invalid("attachment");
        var message = outgoing[0];
        IReadOnlyList<string?> earlier = [];

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // A person may send unless someone else holds a live claim; the auto-send never overrides a person reviewing.
            var won = await db.Drafts.Where(d => d.Id == draftId && d.State == draft.State && d.Version == version)
                .Where(d => d.ClaimedByUserId == null || (!auto && d.ClaimedByUserId == me) || d.LeaseExpiresUtc < now)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, state).SetProperty(d => d.Version, version + 1)
                    .SetProperty(d => d.ReviewedByUserId, me).SetProperty(d => d.Text, text)
                    .SetProperty(d => d.OriginalText, original).SetProperty(d => d.EditDistance, distance)
                    .SetProperty(d => d.ResponseSeconds, responseSeconds)
                    .SetProperty(d => d.ClaimedByUserId, (string?)null).SetProperty(d => d.LeaseExpiresUtc, (DateTime?)null)
                    .SetProperty(d => d.SentMessageId, message.Id).SetProperty(d => d.UpdatedUtc, now), ct) == 1;
            if (!won) return await AlreadyHandledAsync(db, draftId, ct);
            earlier = await CloseAnsweredEarlierAsync(db, draft, askedUtc, me, auto, now, ct);
            db.Messages.AddRange(outgoing);
            db.Record(me, state switch { DraftState.AutoSent => "draft.auto-sent", DraftState.EditedAndSent => "draft.edited-and-sent", _ => "draft.approved" },
                nameof(Draft), draftId.ToString(), null, new { MessageId = message.Id, EditDistance = distance, AttachmentId = attachmentId }, now);
            // Whoever first answers owns the conversation (unless someone already does; the auto-send owns nothing). The reply to
            // a person at risk says a member of the team was alerted: it also stays pinned on top of their list once it leaves
            // the blocked lane.
            var atRisk = draft.State == DraftState.Blocked && Enum.TryParse<GuardrailClass>(draft.StateReason, out var held) && held.IsUrgent();
            await db.Conversations.Where(c => c.Id == conversation.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActivityUtc, now)
                    .SetProperty(c => c.AssigneeUserId, c => c.AssigneeUserId ?? me)
                    .SetProperty(c => c.Pinned, c => atRisk || c.Pinned), ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        if (!auto) CancelAutoSend(draft.AutoSendJobId);
        foreach (var job in earlier) CancelAutoSend(job);
        SendMessageJob.EnqueueInOrder(jobs, draft.TenantId, outgoing.Select(m => m.Id));
        HitlMetrics.Drafts.WithLabels(state switch { DraftState.AutoSent => "auto_sent", DraftState.EditedAndSent => "edited", _ => "approved" }).Inc();
        feed.Publish(new LiveEvent(draft.TenantId, LiveEventKind.DraftChanged, conversation.Id, draft.MessageId, draft.Id));
        LogSent(draft.Id, state);
        return new Result.Sent(message.Id);
    }

    /// <summary>
    /// A reply answers the conversation up to the message its draft answers: the drafts of the customer's earlier messages that
    /// still wait (they wrote several in a row, or a greeting came before the question) are closed as handled, so the queue and
    /// the next look at the conversation do not offer a second answer to a turn already answered. A blocked draft stays: a
    /// message at risk is a person's to close. The auto-send read no earlier message: after it only small talk's drafts close
    /// (the greeting before the question); an earlier question keeps its draft for a person. A person was told on the draft
    /// (DraftStateNotice) that sending closes the earlier ones. Returns the closed drafts' auto-send jobs, to cancel once committed.
    /// </summary>
    private async Task<IReadOnlyList<string?>> CloseAnsweredEarlierAsync(HitlDbContext db, Draft answered, DateTime askedUtc, string? me, bool auto,
        DateTime now, CancellationToken ct)
    {
        var candidates = from d in db.Drafts
                         where d.ConversationId == answered.ConversationId && d.Id != answered.Id
                             && (d.State == DraftState.Pending || d.State == DraftState.Failed)
                         join m in db.Messages on d.MessageId equals m.Id
                         where m.SentUtc <= askedUtc
                         select d;
        if (auto) candidates = candidates.Where(d => d.Classification != null && Ai.SmallTalk.Kinds.Contains(d.Classification));
        var earlier = await candidates.Select(d => new { d.Id, d.State, d.AutoSendJobId }).ToListAsync(ct);
        return await MarkEachHandledAsync(db, earlier.Select(d => (d.Id, d.State, d.AutoSendJobId)), AnsweredLaterReason, me, now, answered.Id, ct);
    }

    /// <summary>
    /// Closes each draft as handled if it is still in the state it was read in, audited one by one with the reason (and the
    /// draft whose reply answered it); the closed drafts' auto-send jobs, for the caller to cancel (after its commit, if any).
    /// </summary>
    private static async Task<IReadOnlyList<string?>> MarkEachHandledAsync(HitlDbContext db, IEnumerable<(Guid Id, DraftState State, string? AutoSendJobId)> drafts,
        string reason, string? me, DateTime now, Guid? answeredBy, CancellationToken ct)
    {
        var jobs = new List<string?>();
        foreach (var (id, state, job) in drafts)
        {
            if (await MarkHandledAsync(db.Drafts.Where(d => d.Id == id && d.State == state), reason, me, now, ct) == 0) continue;
            db.Record(me, "draft.handled", nameof(Draft), id.ToString(), new { State = state.ToString() },
                answeredBy is { } by ? new { Note = reason, AnsweredBy = by } : new { Note = reason }, now);
            jobs.Add(job);
        }
        return jobs;
    }

    /// <summary>The reason of a draft closed because a reply to a later message answered the conversation.</summary>
    public const string AnsweredLaterReason = "HandledAnsweredLater";

    /// <summary>How a draft that no longer waits was decided (its state and who), or null while it waits or when it is gone.</summary>
    public async Task<Result.AlreadyHandled?> DecisionAsync(Guid draftId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var state = await db.Drafts.AsNoTracking().Where(d => d.Id == draftId).Select(d => (DraftState?)d.State).SingleOrDefaultAsync(ct);
        if (state is null || Undecided.Contains(state.Value) || state == DraftState.Generating) return null;
        return await AlreadyHandledAsync(db, draftId, ct) as Result.AlreadyHandled;
    }

    /// <summary>Why the conditional update did not match: decided by someone (and who), or claimed by another person.</summary>
    private async Task<Result> AlreadyHandledAsync(HitlDbContext db, Guid draftId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var current = await (from d in db.Drafts.AsNoTracking()
                             where d.Id == draftId
                             join u in db.Users on d.ClaimedByUserId equals u.Id into holders
                             from u in holders.DefaultIfEmpty()
                             select new { d.State, d.ReviewedByUserId, d.ClaimedByUserId, d.LeaseExpiresUtc, Holder = u != null ? (u.DisplayName != "" ? u.DisplayName : u.Email) : null })
            .SingleAsync(ct);
        if (current.State == DraftState.Pending && current.ClaimedByUserId is not null && current.ClaimedByUserId != tenant.UserId && current.LeaseExpiresUtc >= now)
            return new Result.HeldBy(current.Holder);
        var byName = current.ReviewedByUserId is null ? null : await db.Users.Where(u => u.Id == current.ReviewedByUserId)
            .Select(u => u.DisplayName != "" ? u.DisplayName : u.Email).SingleOrDefaultAsync(ct);
        return new Result.AlreadyHandled(current.State, current.ReviewedByUserId, byName);
    }

    /// <summary>
    /// After a rejection, the customer's last message is drafted again, with the person's instruction for the model. The rejected
    /// draft stays (its reason counts in analytics); only while nothing answered the message since and nothing else waits.
    /// </summary>
    public async Task<Result> DraftAgainAsync(Guid conversationId, string? instruction, CancellationToken ct)
    {
        instruction = string.IsNullOrWhiteSpace(instruction) ? null : instruction.Trim();
        if (instruction?.Length > MaxInstructionLength) return new Result.Invalid("instruction-length");
        await using var db = await factory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null) return new Result.NotFound();
        var last = await RejectedLastMessageAsync(db, conversationId, ct);
        // Asked a moment ago by someone else: the draft is already on its way.
        if (last is null && await LastMessageAsync(db, conversationId, ct) is { BeingDrafted: true }) return new Result.Retrying();
        if (last is null || conversation.AiMode == AiMode.Off) return new Result.Invalid("nothing-to-draft");
        var now = clock.GetUtcNow().UtcDateTime;
        // Two people asking at once queue one draft: only the first finds the message not yet waiting for one.
        var won = await db.Messages.Where(m => m.Id == last.Value && !m.AwaitingDraft)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.AwaitingDraft, true).SetProperty(m => m.DraftDispatchedUtc, (DateTime?)null)
                .SetProperty(m => m.DraftInstruction, instruction), ct) == 1;
        if (!won) return new Result.Retrying();
        db.Record(tenant.UserId, "draft.drafted-again", nameof(Conversation), conversationId.ToString(), null,
            new { MessageId = last.Value, Instruction = instruction }, now);
        await db.SaveChangesAsync(ct);
        outbox.Signal();
        feed.Publish(new LiveEvent(conversation.TenantId, LiveEventKind.DraftChanged, conversationId, last.Value, null));
        return new Result.Retrying();
    }

    /// <summary>
    /// The conversation's last message when it is the customer's, its drafts were all rejected, and nothing in the
    /// conversation waits for a decision: what "draft again" may act on.
    /// </summary>
    internal static async Task<Guid?> RejectedLastMessageAsync(HitlDbContext db, Guid conversationId, CancellationToken ct)
    {
        var last = await LastMessageAsync(db, conversationId, ct);
        if (last is null || last.Direction != MessageDirection.Inbound || last.AwaitingDraft) return null;
        var states = await db.Drafts.AsNoTracking().Where(d => d.ConversationId == conversationId
                && (d.MessageId == last.Id || Undecided.Contains(d.State) || d.State == DraftState.Generating))
            .Select(d => d.State).ToListAsync(ct);
        return states.Count > 0 && states.All(s => s == DraftState.Rejected) ? last.Id : null;
    }

    /// <summary>The conversation's newest message, as "draft again" and the conversation's notices need it.</summary>
    internal sealed record LastMessage(Guid Id, MessageDirection Direction, bool AwaitingDraft)
    {
        /// <summary>The customer's newest message waits for its draft (just arrived, or asked for again).</summary>
        public bool BeingDrafted => Direction == MessageDirection.Inbound && AwaitingDraft;
    }

    internal static Task<LastMessage?> LastMessageAsync(HitlDbContext db, Guid conversationId, CancellationToken ct) =>
        db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId)
            .OrderByDescending(m => m.SentUtc).ThenByDescending(m => m.CreatedUtc)
            .Select(m => new LastMessage(m.Id, m.Direction, m.AwaitingDraft)).FirstOrDefaultAsync(ct);

    /// <summary>A reply written by a person with no draft behind it (or instead of one); same window rule and send job.</summary>
    public async Task<Result> SendOwnReplyAsync(Guid conversationId, string text, CancellationToken ct, Guid? attachmentId = null)
    {
        text = text.Trim();
        // With a file attached the text is its caption, and may be left empty.
        if ((text.Length == 0 && attachmentId is null) || text.Length > MaxReplyLength) return new Result.Invalid("length");
        await using var db = await factory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null) return new Result.NotFound();
        // Filled the way drafts are ({{customer_name}}, the order number the customer gave, workspace variables); an unknown one is refused.
        text = await FilledAsync(db, conversation, text, ct);
        if (Placeholders.Any(text)) return new Result.Invalid("placeholders");
        var now = clock.GetUtcNow().UtcDateTime;
        var (channel, closed) = await WindowAsync(db, conversation, now, ct);
        if (closed is not null) return closed;

        var outgoing = await OutboundReply.ComposeAsync(db, channel.Id, conversation.Id, MessageAuthor.Agent, tenant.UserId, text, attachmentId, now, ct);
        if (outgoing is null) return new Result.Invalid("attachment");
        var message = outgoing[0];
        db.Messages.AddRange(outgoing);
        db.Record(tenant.UserId, "message.sent-by-agent", nameof(Conversation), conversationId.ToString(), null,
            new { MessageId = message.Id, AttachmentId = attachmentId }, now);
        await db.Conversations.Where(c => c.Id == conversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActivityUtc, now).SetProperty(c => c.AssigneeUserId, c => c.AssigneeUserId ?? tenant.UserId), ct);
        await db.SaveChangesAsync(ct);
        SendMessageJob.EnqueueInOrder(jobs, conversation.TenantId, outgoing.Select(m => m.Id));
        feed.Publish(new LiveEvent(conversation.TenantId, LiveEventKind.MessageReceived, conversationId, message.Id, null));
        return new Result.Sent(message.Id);
    }

    /// <summary>Whether <paramref name="filled"/> (as it goes out) is one of the draft's suggested replies, filled in the same way.</summary>
    private async Task<bool> IsSuggestionAsync(HitlDbContext db, Conversation conversation, Draft draft, string filled, CancellationToken ct)
    {
        foreach (var alternative in System.Text.Json.JsonSerializer.Deserialize<string[]>(draft.Alternatives) ?? [])
            if (!string.IsNullOrWhiteSpace(alternative) && (await FilledAsync(db, conversation, alternative.Trim(), ct)).Trim() == filled)
                return true;
        return false;
    }

    /// <summary>The text with the placeholders the conversation and the workspace know filled in; no lookups when there are none.</summary>
    private async Task<string> FilledAsync(HitlDbContext db, Conversation conversation, string text, CancellationToken ct) =>
        Placeholders.Any(text) ? Placeholders.Fill(text, await placeholders.ValuesAsync(db, conversation, ct)) : text;

    /// <summary>WhatsApp refuses free text 24 hours after the customer's last message (Meta error 131047): say so before trying.</summary>
    private async Task<(Channel Channel, Result.WindowClosed? Closed)> WindowAsync(HitlDbContext db, Conversation conversation, DateTime now, CancellationToken ct)
    {
        var channel = await db.Channels.AsNoTracking().SingleAsync(c => c.Id == conversation.ChannelId, ct);
        var lastInbound = await db.Contacts.AsNoTracking().Where(c => c.Id == conversation.ContactId).Select(c => c.LastInboundUtc).SingleAsync(ct);
        var closed = channel.Kind == ChannelKind.WhatsAppCloud && (lastInbound is null || now - lastInbound > options.Value.CustomerServiceWindow);
        return (channel, closed ? new Result.WindowClosed(lastInbound) : null);
    }

    private void CancelAutoSend(string? jobId)
    {
        if (jobId is not null) jobs.Delete(jobId); // the job re-checks state and version anyway
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft {DraftId} decided: {State}")]
    private partial void LogSent(Guid draftId, DraftState state);
}
