using HitlConsole.Features.Localization;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Inbox;

/// <summary>One conversation for the review screen: timeline, contact, window, and the draft waiting for a person.</summary>
public sealed class GetConversation(IDbContextFactory<HitlDbContext> factory, IOptions<PipelineOptions> options, TimeProvider clock,
    HitlConsole.Features.Ai.ModelRouter models)
{
    /// <summary>The most messages a conversation view reads: the newest ones.</summary>
    public const int TimelineLimit = 500;

    /// <param name="Attempts">Every call to the channel for an outbound message, oldest first (empty for inbound ones).</param>
    /// <param name="NextAttemptUtc">When a retryable failure is tried again; null when no retry waits.</param>
    public sealed record Bubble(Guid Id, MessageDirection Direction, MessageAuthor Author, string? Text, string Type, string? Caption,
        DeliveryState State, string? ErrorCode, string? ErrorTitle, DateTime SentUtc, DateTime? NextAttemptUtc = null,
        IReadOnlyList<Attempt>? Attempts = null, string? TemplateName = null, MediaView? Media = null, string? SentBy = null)
    {
        public IReadOnlyList<Attempt> Attempts { get; init; } = Attempts ?? [];
    }
    /// <summary>An inbound message's file: whether it is kept (and its type, size and name) or why not.</summary>
    public sealed record MediaView(MediaState State, string? ContentType, long? SizeBytes, string? FileName);
    /// <param name="Step">upload (the attachment to Meta's media endpoint) or send; null for attempts older than attachments.</param>
    public sealed record Attempt(int Number, DateTime AttemptedUtc, bool Succeeded, string? ErrorCode, string? ErrorTitle, DateTime? NextAttemptUtc,
        string? Step = null);
    public sealed record Source(Guid Id, string Question, string? Intent, string Answer = "");
    public sealed record DraftView(Guid Id, int Version, DraftState State, string Text, IReadOnlyList<string> Alternatives, string? Intent,
        string? Classification, int Confidence, bool LowConfidence, bool OutOfKnowledge, string? Reasoning, string? Model,
        string? StateReason, IReadOnlyList<Source> Sources, DateTime CreatedUtc, int? ConfigVersion = null,
        string? ClaimedByUserId = null, string? ClaimedByName = null, DateTime? LeaseExpiresUtc = null)
    {
        /// <summary>
        /// How many messages the customer wrote after the one this draft answers: a blocked draft is shown before the latest
        /// message's, and a newer message may still be drafted. The reviewer is told, so they do not send an answer the customer
        /// has moved past.
        /// </summary>
        public int CustomerWroteAfter { get; init; }

        /// <summary>The conversation's other drafts that wait for a decision (earlier messages' drafts, closed when this one's reply is sent).</summary>
        public int OthersWaiting { get; init; }

        /// <summary>The pipeline scheduled the draft to send itself: a reviewer who opens it holds that send back, and is told so.</summary>
        public bool AutoSendScheduled { get; init; }
    }
    /// <summary>An earlier draft of a message, decided or expired: what was proposed, what went out, who decided, when and why.</summary>
    public sealed record PastDraft(Guid Id, Guid MessageId, DraftState State, string? OriginalText, string Text, string? Reason, string? Intent,
        int Confidence, string? ByName, DateTime DecidedUtc);
    /// <summary><paramref name="FollowsInstructions"/>: the model in force reads a regenerate instruction (the built-in one does not).</summary>
    public sealed record View(Guid ConversationId, string Customer, string Address, ChannelKind Channel, AiMode AiMode,
        ConversationStatus Status, DateTime? WindowClosesUtc, IReadOnlyList<Bubble> Timeline, DraftView? Draft, TimeZoneInfo TimeZone, bool Pinned,
        IReadOnlyList<PastDraft>? History = null, bool FollowsInstructions = true)
    {
        public IReadOnlyList<PastDraft> History { get; init; } = History ?? [];
        public string? AssigneeUserId { get; init; }
        public string? AssigneeName { get; init; }
        /// <summary>The customer's newest message is owed a reply and there is no draft to review (<see cref="Inbox.AwaitingReply"/>).</summary>
        public bool AwaitingReply { get; init; }
        /// <summary>The customer's newest message had its draft rejected and the model can take an instruction: "draft again" is offered.</summary>
        public bool CanDraftAgain { get; init; }
        /// <summary>The customer's newest message is being drafted (just arrived, or drafted again after a rejection).</summary>
        public bool Drafting { get; init; }
        /// <summary>Internal notes of the team, shown in the timeline among the messages; never sent.</summary>
        public IReadOnlyList<Note> Notes { get; init; } = [];
        /// <summary>Older messages of a very long conversation that the timeline leaves out (<see cref="TimelineLimit"/>).</summary>
        public int EarlierMessages { get; init; }
    }
    public sealed record Note(Guid Id, string AuthorName, string Text, DateTime CreatedUtc);

    public async Task<View?> HandleAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var head = await (from c in db.Conversations.AsNoTracking()
                          join k in db.Contacts on c.ContactId equals k.Id
                          join ch in db.Channels on c.ChannelId equals ch.Id
                          where c.Id == conversationId
                          select new { c, k, ch.Kind }).SingleOrDefaultAsync(ct);
        if (head is null) return null;

        // The newest messages, where the waiting draft's message is; a very long conversation leaves out its oldest ones.
        // Each reply names the person who sent it: a team reads who answered, not only that "an agent" did.
        var timeline = await (from m in db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId)
                                  .OrderByDescending(m => m.SentUtc).ThenByDescending(m => m.CreatedUtc).Take(TimelineLimit)
                              join u in db.Users on m.SentByUserId equals u.Id into senders
                              from u in senders.DefaultIfEmpty()
                              orderby m.SentUtc descending, m.CreatedUtc descending
                              select new Bubble(m.Id, m.Direction, m.Author, m.Text, m.Type, m.Caption, m.DeliveryState, m.ErrorCode, m.ErrorTitle, m.SentUtc,
                                  m.NextAttemptUtc, null, m.Template,
                                  m.MediaState == null ? null : new MediaView(m.MediaState.Value, null, null, null),
                                  u == null ? null : u.DisplayName != "" ? u.DisplayName : u.Email))
            .ToListAsync(ct);
        timeline.Reverse();
        var earlier = timeline.Count < TimelineLimit ? 0
            : await db.Messages.CountAsync(m => m.ConversationId == conversationId, ct) - timeline.Count;
        // Files and send attempts only for the messages shown (ties on the oldest time may add a few, looked up by id anyway).
        var shown = db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId);
        if (earlier > 0)
        {
            var oldestShown = timeline[0].SentUtc;
            shown = shown.Where(m => m.SentUtc >= oldestShown);
        }
        var files = await (from m in shown
                           join f in db.MediaFiles on m.MediaFileId equals f.Id
                           select new { m.Id, f.ContentType, f.SizeBytes, f.FileName }).ToDictionaryAsync(x => x.Id, ct);
        timeline = timeline.Select(b => b.Media is { } media && files.TryGetValue(b.Id, out var f)
            ? b with { Media = media with { ContentType = f.ContentType, SizeBytes = f.SizeBytes, FileName = f.FileName } } : b).ToList();
        // A template message carries its template as JSON; the timeline names it.
        timeline = timeline.Select(b => b.TemplateName is { } json ? b with { TemplateName = Channels.Templates.SendTemplate.Read(json)?.Name } : b).ToList();
        var attempts = (await (from a in db.SendAttempts.AsNoTracking()
                               join m in shown on a.MessageId equals m.Id
                               select new { a.MessageId, Attempt = new Attempt(a.Number, a.AttemptedUtc, a.Succeeded, a.ErrorCode, a.ErrorTitle, a.NextAttemptUtc, a.Step) })
                .ToListAsync(ct))
            .GroupBy(a => a.MessageId).ToDictionary(g => g.Key, g => (IReadOnlyList<Attempt>)g.Select(a => a.Attempt).OrderBy(a => a.Number).ToList());
        timeline = timeline.Select(b => attempts.TryGetValue(b.Id, out var tries) ? b with { Attempts = tries } : b).ToList();

        // A blocked draft first (a message at risk is a person's to answer), then the draft of the customer's latest message: when
        // they wrote several in a row, its answer is the one to send, and sending it closes the earlier ones (ReviewDraft.SendAsync).
        // A conversation has a handful of waiting drafts at most: read once, chosen here.
        var waitingDrafts = await (from d in db.Drafts.AsNoTracking()
                                   where d.ConversationId == conversationId && (d.State == DraftState.Pending || d.State == DraftState.Blocked || d.State == DraftState.Failed)
                                   join m in db.Messages on d.MessageId equals m.Id
                                   select new { Draft = d, m.SentUtc }).ToListAsync(ct);
        var waitingCount = waitingDrafts.Count;
        var draft = waitingDrafts.OrderByDescending(x => x.Draft.State == DraftState.Blocked)
            .ThenByDescending(x => x.SentUtc).ThenByDescending(x => x.Draft.CreatedUtc).FirstOrDefault()?.Draft;
        DraftView? view = null;
        if (draft is not null)
        {
            var sourceIds = JsonSerializer.Deserialize<Guid[]>(draft.Sources) ?? [];
            var sources = await db.KnowledgeEntries.AsNoTracking().Where(e => sourceIds.Contains(e.Id))
                .Select(e => new Source(e.Id, e.Question, e.Intent, e.Answer)).ToListAsync(ct);
            view = new DraftView(draft.Id, draft.Version, draft.State, draft.Text, JsonSerializer.Deserialize<string[]>(draft.Alternatives) ?? [],
                draft.Intent, draft.Classification, draft.Confidence, draft.LowConfidence, draft.OutOfKnowledge, draft.Reasoning,
                draft.ModelProfile, draft.StateReason, sources.OrderBy(s => Array.IndexOf(sourceIds, s.Id)).ToList(), draft.CreatedUtc,
                draft.ConfigVersion, draft.ClaimedByUserId,
                draft.ClaimedByUserId is null ? null : await db.Users.Where(u => u.Id == draft.ClaimedByUserId).Select(u => (u.DisplayName != "" ? u.DisplayName : u.Email)).SingleOrDefaultAsync(ct),
                draft.LeaseExpiresUtc)
            {
                CustomerWroteAfter = await (from answered in db.Messages
                                            where answered.Id == draft.MessageId
                                            from later in db.Messages
                                            where later.ConversationId == conversationId && later.Direction == MessageDirection.Inbound
                                                && later.SentUtc > answered.SentUtc
                                            select later.Id).CountAsync(ct),
                OthersWaiting = waitingCount - 1,
                AutoSendScheduled = draft.State == DraftState.Pending && draft.AutoSendJobId is not null,
            };
        }

        // Regenerated drafts are deleted (their AiInteraction stays); everything else a person or the TTL decided is history.
        var history = await (from d in db.Drafts.AsNoTracking()
                             where d.ConversationId == conversationId && !Undecided.Contains(d.State) && d.State != DraftState.Generating
                             join u in db.Users on d.ReviewedByUserId equals u.Id into reviewers
                             from u in reviewers.DefaultIfEmpty()
                             orderby d.UpdatedUtc
                             select new PastDraft(d.Id, d.MessageId, d.State, d.OriginalText, d.Text, d.StateReason, d.Intent, d.Confidence,
                                 u != null ? (u.DisplayName != "" ? u.DisplayName : u.Email) : null, d.UpdatedUtc))
            .Take(200).ToListAsync(ct);

        var workspace = await db.Tenants.Where(t => t.Id == head.c.TenantId).Select(t => new { t.TimeZone, t.DraftTtlHours }).SingleAsync(ct);
        var zoneId = workspace.TimeZone;
        var awaiting = view is null && await AwaitingReply.Conversations(db, AwaitingReply.Since(UtcNow, workspace.DraftTtlHours))
            .AnyAsync(a => a.Id == conversationId, ct);
        var zone = WorkspaceTime.Resolve(zoneId);
        DateTime? closes = head.Kind == ChannelKind.WhatsAppCloud && head.k.LastInboundUtc is { } last ? options.Value.WindowClosesUtc(last) : null;
        var follows = view is { State: DraftState.Pending or DraftState.Failed } && await models.FollowsInstructionsAsync(head.c.TenantId, view.Intent, ct);
        var rejectedLast = awaiting && head.c.AiMode != AiMode.Off ? await ReviewDraft.RejectedLastMessageAsync(db, conversationId, ct) : null;
        var canDraftAgain = rejectedLast is { } rejected && await models.FollowsInstructionsAsync(head.c.TenantId,
            await db.Drafts.Where(d => d.MessageId == rejected).OrderByDescending(d => d.CreatedUtc).Select(d => d.Intent).FirstOrDefaultAsync(ct), ct);
        var drafting = view is null && !awaiting && await ReviewDraft.LastMessageAsync(db, conversationId, ct) is { BeingDrafted: true };
        var assigneeName = head.c.AssigneeUserId is { } assignee
            ? await db.Users.Where(u => u.Id == assignee).Select(u => u.DisplayName != "" ? u.DisplayName : u.Email).SingleOrDefaultAsync(ct) ?? "—"
            : null;
        var notes = await (from n in db.ConversationNotes.AsNoTracking()
                           where n.ConversationId == conversationId
                           join u in db.Users on n.AuthorUserId equals u.Id into authors
                           from u in authors.DefaultIfEmpty()
                           orderby n.CreatedUtc
                           select new Note(n.Id, u != null ? (u.DisplayName != "" ? u.DisplayName : u.Email) ?? "—" : "—", n.Text, n.CreatedUtc))
            .Take(500).ToListAsync(ct);
        return new View(head.c.Id, head.k.DisplayName ?? head.k.Address, head.k.Address, head.Kind, head.c.AiMode, head.c.Status,
            closes, timeline, view, zone, head.c.Pinned, history, follows)
        {
            AssigneeUserId = head.c.AssigneeUserId, AssigneeName = assigneeName, Notes = notes, AwaitingReply = awaiting, EarlierMessages = earlier,
            CanDraftAgain = canDraftAgain, Drafting = drafting,
        };
    }

    public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;

    private static readonly DraftState[] Undecided = [DraftState.Pending, DraftState.Blocked, DraftState.Failed];
}
