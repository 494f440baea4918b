using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Learning;

/// <summary>
/// "Save as knowledge" from a conversation: after a person sent a substantially edited draft or a reply of their own, the
/// editor offers the customer's question and the sent answer (customer-specific parts turned back into placeholders),
/// with the draft's intent and the customer's language. Agents propose; Admins, or agents where the workspace allows,
/// publish at once.
/// </summary>
public sealed partial class ProposeKnowledge(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, IAgentSettingsProvider settings, PublishKnowledge publish,
    IOptions<LearningOptions> options, TimeProvider clock, ILogger<ProposeKnowledge> logger)
{
    /// <param name="ReplacedDraft">What the assistant had proposed; null for a reply written by hand with no draft behind it.</param>
    /// <param name="Question">The customer's message the reply answered, as they wrote it: the offer names it.</param>
    public sealed record Offer(Guid SentMessageId, SuggestionOrigin Origin, string? ReplacedDraft, KnowledgeInput Prefill, bool CanPublish, string Question);

    public abstract record Result
    {
        public sealed record Proposed(Guid SuggestionId) : Result;
        public sealed record Published(Guid SuggestionId, Guid EntryId) : Result;
        /// <summary>Field → resource key, as the knowledge editor reports them.</summary>
        public sealed record Invalid(Dictionary<string, string> Errors) : Result;
        public sealed record Forbidden : Result;
        public sealed record AlreadyProposed : Result;
        public sealed record NotFound : Result;
    }

    /// <summary>
    /// The lesson the conversation's latest reply by a person offers, or null: nothing new to learn, already proposed, or the
    /// customer wrote again since (the offer belongs to the question it answered, not under a newer one still unanswered).
    /// </summary>
    public async Task<Offer?> GetOfferAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var role = await LearningAccess.RoleAsync(db, tenant.UserId, ct);
        if (role is not (Roles.Agent or Roles.Admin)) return null;
        var context = await ContextAsync(db, conversationId, null, ct);
        if (context is null) return null;
        return new Offer(context.SentMessageId, context.Origin, context.ReplacedDraft, context.Prefill,
            await LearningAccess.CanPublishAsync(db, role, ct), context.Question);
    }

    /// <summary>Saves the (possibly edited) lesson for the reply <paramref name="sentMessageId"/>; publishes it when asked and allowed.</summary>
    public async Task<Result> SubmitAsync(Guid conversationId, Guid sentMessageId, KnowledgeInput input, bool publishNow, CancellationToken ct)
    {
        var errors = ManageKnowledge.Validate(input);
        if (errors.Count > 0) return new Result.Invalid(errors);
        await using var db = await factory.CreateDbContextAsync(ct);
        var role = await LearningAccess.RoleAsync(db, tenant.UserId, ct);
        if (role is not (Roles.Agent or Roles.Admin)) return new Result.Forbidden();
        if (publishNow && !await LearningAccess.CanPublishAsync(db, role, ct)) return new Result.Forbidden();
        if (await db.KnowledgeSuggestions.AnyAsync(s => s.SentMessageId == sentMessageId, ct)) return new Result.AlreadyProposed();
        var context = await ContextAsync(db, conversationId, sentMessageId, ct);
        if (context is null) return new Result.NotFound();
        return await SaveAsync(db, input, context.Origin, context.ReplacedDraft, conversationId, sentMessageId, publishNow, ct);
    }

    /// <summary>
    /// A correction from outside the console (POST /api/knowledge/corrections): proposed, or published when the workspace lets
    /// agents publish — the API acts with an agent's rights.
    /// </summary>
    public async Task<Result> SubmitCorrectionAsync(KnowledgeInput input, string? replacedDraft, CancellationToken ct)
    {
        var errors = ManageKnowledge.Validate(input);
        if (errors.Count > 0) return new Result.Invalid(errors);
        if (replacedDraft?.Length > 4096) return new Result.Invalid(new() { ["ReplacedDraft"] = "KnowledgeErrorAnswer" });
        await using var db = await factory.CreateDbContextAsync(ct);
        var publishNow = await LearningAccess.CanPublishAsync(db, Roles.Agent, ct);
        return await SaveAsync(db, input, SuggestionOrigin.Api, replacedDraft, null, null, publishNow, ct);
    }

    private async Task<Result> SaveAsync(HitlDbContext db, KnowledgeInput input, SuggestionOrigin origin, string? replacedDraft,
        Guid? conversationId, Guid? sentMessageId, bool publishNow, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var suggestion = new KnowledgeSuggestion
        {
            Question = input.Question.Trim(), Answer = input.Answer.Trim(), Intent = string.IsNullOrWhiteSpace(input.Intent) ? null : input.Intent.Trim(),
            Language = input.Language, Origin = origin, State = SuggestionState.Proposed, ReplacedDraft = replacedDraft,
            ConversationId = conversationId, SentMessageId = sentMessageId, ProposedByUserId = tenant.UserId, CreatedUtc = now,
        };
        db.KnowledgeSuggestions.Add(suggestion);
        db.Record(tenant.UserId, "knowledge-suggestion.proposed", nameof(KnowledgeSuggestion), suggestion.Id.ToString(), null,
            new { suggestion.Question, suggestion.Answer, suggestion.Intent, suggestion.Language, Origin = origin.ToString() }, now);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex)) { return new Result.AlreadyProposed(); }
        LogProposed(suggestion.Id, origin);
        if (!publishNow) return new Result.Proposed(suggestion.Id);

        input.Active = true;
        switch (await publish.CreateAsync(input, ct))
        {
            case ManageKnowledge.Result.Saved saved:
                await db.KnowledgeSuggestions.Where(s => s.Id == suggestion.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, SuggestionState.Accepted).SetProperty(x => x.KnowledgeEntryId, saved.Id)
                        .SetProperty(x => x.DecidedByUserId, tenant.UserId).SetProperty(x => x.DecidedUtc, now).SetProperty(x => x.Version, 1), ct);
                return new Result.Published(suggestion.Id, saved.Id);
            case ManageKnowledge.Result.Invalid invalid:
                // Kept as a proposal: an Admin sees it in the queue (a duplicate entry, a full knowledge base).
                return new Result.Invalid(invalid.Errors);
            default:
                return new Result.Proposed(suggestion.Id);
        }
    }

    private sealed record OfferContext(Guid SentMessageId, SuggestionOrigin Origin, string? ReplacedDraft, KnowledgeInput Prefill, string Question);

    /// <summary>The latest reply a person sent in the conversation (or the given one), if it teaches something.</summary>
    private async Task<OfferContext?> ContextAsync(HitlDbContext db, Guid conversationId, Guid? sentMessageId, CancellationToken ct)
    {
        var reply = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Outbound && m.Author == MessageAuthor.Agent
                        && m.Type == "text" && m.Template == null && m.Text != null)
            .Where(m => sentMessageId == null || m.Id == sentMessageId)
            .OrderByDescending(m => m.SentUtc).ThenByDescending(m => m.CreatedUtc)
            .Select(m => new { m.Id, m.Text, m.SentUtc }).FirstOrDefaultAsync(ct);
        if (reply is null) return null;
        if (sentMessageId is null && await db.KnowledgeSuggestions.AnyAsync(s => s.SentMessageId == reply.Id, ct)) return null;
        // The customer wrote after it: the conversation is on a newer question, and the offer would sit under its draft.
        if (sentMessageId is null && await db.Messages.AnyAsync(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound
                                                                     && m.SentUtc > reply.SentUtc, ct)) return null;

        var draft = await db.Drafts.AsNoTracking().Where(d => d.SentMessageId == reply.Id)
            .Select(d => new { d.State, d.OriginalText, d.Text, d.Intent, d.MessageId, d.Classification }).SingleOrDefaultAsync(ct);
        // A reply to a message the guardrail stopped (abuse, a legal threat, a person at risk) is no lesson for the knowledge
        // base: its question would be the hostile message itself.
        if (draft?.Classification == Draft.BlockedClassification) return null;
        SuggestionOrigin origin;
        string? replaced;
        Guid? questionId;
        string? intent;
        if (draft is not null)
        {
            if (draft.State != DraftState.EditedAndSent || draft.OriginalText is null || !Substantial(draft.OriginalText, draft.Text)) return null;
            (origin, replaced, questionId, intent) = (SuggestionOrigin.Edited, draft.OriginalText, draft.MessageId, draft.Intent);
        }
        else
        {
            // Written by hand: it answers the customer's last message before it; a draft for that message was rejected or set aside.
            questionId = await db.Messages.AsNoTracking()
                .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound && m.SentUtc <= reply.SentUtc && m.Text != null)
                .OrderByDescending(m => m.SentUtc).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
            var set = questionId is null ? null : await db.Drafts.AsNoTracking().Where(d => d.MessageId == questionId).OrderByDescending(d => d.CreatedUtc)
                .Select(d => new { d.Text, d.Intent, d.State, d.Classification }).FirstOrDefaultAsync(ct);
            if (set?.Classification == Draft.BlockedClassification) return null;
            (origin, replaced, intent) = (SuggestionOrigin.HandWritten, set is { State: DraftState.Rejected } ? set.Text : null, set?.Intent);
        }
        if (questionId is null) return null;
        var question = await db.Messages.AsNoTracking().Where(m => m.Id == questionId).Select(m => new { m.Text, m.Language }).SingleAsync(ct);
        var head = await (from c in db.Conversations.AsNoTracking()
                          join k in db.Contacts on c.ContactId equals k.Id
                          join t in db.Tenants on c.TenantId equals t.Id
                          where c.Id == conversationId
                          select new { k.DisplayName, c.TenantId, t.DefaultCulture }).SingleAsync(ct);
        var language = question.Language is "en" or "es" ? question.Language : head.DefaultCulture == "es" ? "es" : "en";
        var inbound = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound && m.Text != null && m.SentUtc <= reply.SentUtc)
            .OrderBy(m => m.SentUtc).Select(m => m.Text!).Take(50).ToListAsync(ct);
        var agent = await settings.GetAsync(head.TenantId, ct);
        var context = new AnswerGeneraliser.Context(head.DisplayName, inbound, agent.Variables.For(language), language);
        var prefill = new KnowledgeInput
        {
            Question = AnswerGeneraliser.Question(question.Text ?? "", context), Answer = AnswerGeneraliser.Answer(reply.Text!, context),
            Intent = intent, Language = language, Category = ManageKnowledge.LearnedCategory, Active = true,
        };
        return new OfferContext(reply.Id, origin, replaced, prefill, question.Text ?? "");
    }

    /// <summary>Whether a person changed enough of the draft for the reply to be a lesson (<see cref="LearningOptions.SubstantialEditShare"/>).</summary>
    public bool Substantial(string proposed, string sent)
    {
        var (a, b) = (proposed.Trim(), sent.Trim());
        var longest = Math.Max(a.Length, b.Length);
        return longest > 0 && Quickenshtein.Levenshtein.GetDistance(a, b) / (double)longest >= options.Value.SubstantialEditShare;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge suggestion {SuggestionId} proposed from a {Origin} reply")]
    private partial void LogProposed(Guid suggestionId, SuggestionOrigin origin);
}
