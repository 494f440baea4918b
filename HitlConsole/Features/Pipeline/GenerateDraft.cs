using System.Diagnostics;
using System.Text.Json;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Domain;
using Hangfire;
using HitlConsole.Features.Ai;
using HitlConsole.Jobs;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// The draft job's work for one inbound message: guardrail pre-scan, the generator, the policy,
/// then one Draft and one AiInteraction stored together with the message leaving the outbox.
/// Idempotent: a message that already has a draft is left alone.
/// </summary>
public sealed partial class GenerateDraft(
    IDbContextFactory<HitlDbContext> factory, DraftComposer composer, LiveFeed feed, IAgentSettingsProvider settingsProvider,
    IBackgroundJobClient jobs, TimeProvider clock, Languages.TextLanguage languages, Infrastructure.DraftingThreads drafting, ILogger<GenerateDraft> logger)
{
    public enum Outcome { Drafted, Blocked, Failed, Skipped }

    public async Task<Outcome> HandleAsync(Guid messageId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var message = await db.Messages.SingleOrDefaultAsync(m => m.Id == messageId, ct);
        // A rejected draft stays beside the one a person asked for again ("draft again").
        if (message is null || !message.AwaitingDraft || await db.Drafts.AnyAsync(d => d.MessageId == messageId && d.State != DraftState.Rejected, ct))
            return Outcome.Skipped;

        var conversation = await db.Conversations.SingleAsync(c => c.Id == message.ConversationId, ct);
        var tenant = await db.Tenants.SingleAsync(t => t.Id == message.TenantId, ct);
        var text = message.Text ?? message.Caption ?? "";
        // A short "ok" or "👍" keeps the language the customer has been writing in.
        var earlier = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Inbound && m.Language != null && m.SentUtc <= message.SentUtc)
            .OrderByDescending(m => m.SentUtc).Select(m => m.Language).FirstOrDefaultAsync(ct);
        var language = languages.Detect(text, earlier ?? Languages.TextLanguage.Normalise(tenant.DefaultCulture));
        message.Language = language;
        var now = clock.GetUtcNow().UtcDateTime;

        if (conversation.AiMode == AiMode.Off)
        {
            message.AwaitingDraft = false;
            message.DraftInstruction = null;
            message.GuardrailReleased = false;
            return await drafting.StoreAsync(async () =>
            {
                using var writer = await SqliteWriteGate.EnterAsync(db.Database, ct);
                await db.SaveChangesAsync(ct);
                return Outcome.Skipped;
            }, ct);
        }

        var draft = new Draft
        {
            ConversationId = conversation.Id, MessageId = message.Id, CreatedUtc = now, UpdatedUtc = now,
            Quarter = Analytics.AnalyticsTime.QuarterOf(message.SentUtc), ChannelId = message.ChannelId,
        };
        var interaction = new AiInteraction { MessageId = message.Id, DraftId = draft.Id, CreatedUtc = now };
        Outcome outcome;
        var autoSend = false;

        var settings = await settingsProvider.GetAsync(message.TenantId, ct);
        var history = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Id != message.Id && m.Text != null && m.SentUtc <= message.SentUtc)
            .OrderByDescending(m => m.SentUtc).Take(settings.HistoryTurns)
            .Select(m => new ConversationTurn(m.Direction == MessageDirection.Inbound, m.Text!)).ToListAsync(ct);
        history.Reverse();
        var request = new DraftRequest(message.TenantId, conversation.Id, text, history, language, message.DraftInstruction)
            { GuardrailReleased = message.GuardrailReleased };
        var facts = await ConversationPlaceholders.FactsAsync(db, conversation, message.SentUtc, ct);

        var watch = Stopwatch.StartNew();
        GuardrailResult scan = GuardrailResult.Pass;
        if (string.IsNullOrWhiteSpace(text) && message.MediaId is not null)
        {
            // Nothing to ground or classify: a person reviews a neutral question (never auto-sent).
            draft.State = DraftState.Pending;
            draft.Text = MediaReplies.AskWhatTheyNeed(language);
            draft.Classification = "media";
            draft.StateReason = "media-without-text";
            interaction.Classification = "media";
            interaction.Outcome = "review";
            outcome = Outcome.Drafted;
        }
        else try
        {
            var composition = await composer.ComposeAsync(request, conversation.AiMode, ct, settings, facts);
            scan = composition.Guardrail;
            draft.ConfigVersion = composition.Settings.ConfigVersion;
            if (composition.Blocked)
            {
                draft.State = DraftState.Blocked;
                draft.Classification = Draft.BlockedClassification;
                // The words or rule that tripped it, for the reviewer ("" when only the trained model recognised it).
                draft.Reasoning = string.Join(", ", scan.WrittenIn(text).Take(6)) is { Length: > 0 } words ? Truncate(words, 400) : null;
                draft.Text = composition.BlockedReply;
                draft.StateReason = scan.Class.ToString();
                interaction.Kind = "guardrail";
                interaction.Classification = scan.Class.ToString();
                interaction.Outcome = "blocked";
                outcome = Outcome.Blocked;
            }
            else
            {
                var (proposal, decision) = (composition.Proposal!, composition.Decision!);
                autoSend = decision.AutoSend;
                draft.State = DraftState.Pending;
                draft.Text = proposal.Reply;
                draft.Alternatives = JsonSerializer.Serialize(proposal.Alternatives);
                draft.Intent = proposal.Intent;
                draft.Classification = proposal.Classification;
                draft.Confidence = decision.Confidence;
                draft.LowConfidence = decision.LowConfidence;
                draft.OutOfKnowledge = proposal.OutOfKnowledge;
                draft.Reasoning = proposal.Reasoning;
                draft.Sources = JsonSerializer.Serialize(proposal.SourceIds);
                draft.ModelProfile = proposal.Model;
                draft.PromptTokens = proposal.PromptTokens;
                draft.CompletionTokens = proposal.CompletionTokens;
                draft.StateReason = decision.Reason;
                interaction.Intent = proposal.Intent;
                interaction.Classification = proposal.Classification;
                interaction.Confidence = decision.Confidence;
                interaction.Outcome = decision.AutoSend ? "auto-send-eligible" : "review";
                interaction.Model = proposal.Model;
                interaction.Tokens = proposal.PromptTokens + proposal.CompletionTokens;
                outcome = Outcome.Drafted;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A failed model call is a visible failed draft with its reason, never a silent gap.
            LogGeneratorFailed(ex, message.Id);
            draft.State = DraftState.Failed;
            draft.StateReason = ex is TimeoutException or TaskCanceledException ? "model-timeout" : "model-error";
            draft.Reasoning = ex is ModelChainFailedException ? ex.Message : null;
            draft.Text = SystemReplies.Safe(SystemReplies.Generic[language], text, [], language);
            interaction.Outcome = "failed";
            outcome = Outcome.Failed;
        }
        draft.LatencyMs = (int)watch.ElapsedMilliseconds;
        interaction.LatencyMs = draft.LatencyMs;
        message.DraftInstruction = null;
        message.GuardrailReleased = false;
        message.AwaitingDraft = false;
        db.Drafts.Add(draft);
        db.AiInteractions.Add(interaction);
        // At the app's own priority: the job itself may run on the low-priority drafting threads (DraftingThreads).
        return await drafting.StoreAsync(async () =>
        {
            try
            {
                using var writer = await SqliteWriteGate.EnterAsync(db.Database, ct);
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                return Outcome.Skipped; // another run of the same job stored its draft first
            }

            if (autoSend)
            {
                // Durable: the schedule lives in the job storage and survives restarts; a person acting first wins on version.
                var jobId = jobs.Schedule<IAutoSendDraftJob>(j => j.RunAsync(message.TenantId, draft.Id, draft.Version, CancellationToken.None),
                    settings.AutoSendDelay);
                // Not a versioned update: the job may already have run (short delays), and the id stays useful for the audit trail.
                using var writer = await SqliteWriteGate.EnterAsync(db.Database, ct);
                await db.Drafts.Where(d => d.Id == draft.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.AutoSendJobId, jobId), ct);
            }

            HitlMetrics.Drafts.WithLabels(outcome.ToString().ToLowerInvariant()).Inc();
            LogDrafted(draft.Id, message.Id, outcome, draft.Confidence, draft.LatencyMs);
            if (outcome == Outcome.Blocked) HitlMetrics.GuardrailBlocks.WithLabels(scan.Class.ToString()).Inc();
            feed.Publish(new LiveEvent(message.TenantId, LiveEventKind.DraftChanged, conversation.Id, message.Id, draft.Id));
            if (outcome == Outcome.Blocked)
                feed.Publish(new LiveEvent(message.TenantId, LiveEventKind.Alert, conversation.Id, message.Id, draft.Id, new GuardrailAlert(scan.Class)));
            if (outcome == Outcome.Blocked && scan.Class.IsUrgent()) LogUrgent(draft.Id, scan.Class);
            return outcome;
        }, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft {DraftId} for message {MessageId}: {Outcome}, confidence {Confidence}, {LatencyMs} ms")]
    private partial void LogDrafted(Guid draftId, Guid messageId, Outcome outcome, int confidence, int latencyMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Urgent guardrail alert ({GuardrailClass}) on draft {DraftId}: a person should look now")]
    private partial void LogUrgent(Guid draftId, GuardrailClass guardrailClass);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draft generation failed for message {MessageId}")]
    private partial void LogGeneratorFailed(Exception ex, Guid messageId);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
