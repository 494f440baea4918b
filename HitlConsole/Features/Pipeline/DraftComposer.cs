using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Infrastructure.Embeddings;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace HitlConsole.Features.Pipeline;

/// <summary>What drafting decided for one customer text, before anything is stored.</summary>
public sealed record Composition(string Language, GuardrailResult Guardrail, string BlockedReply, DraftProposal? Proposal, PolicyDecision? Decision, AgentSettings Settings)
{
    public bool Blocked => Guardrail.Blocked;
}

/// <summary>
/// Guardrail pre-scan → model routing chain → policy, with no side effects: the draft job stores the result,
/// the sandbox only shows it. Model failures surface as exceptions after the retry pipeline gave up.
/// </summary>
public sealed class DraftComposer(
    IDraftGenerator generator, IAgentSettingsProvider settingsProvider, IOptions<PipelineOptions> options, ResiliencePipelineProvider<string> resilience,
    ITextEmbedder embedder)
{
    public const string ResilienceKey = "draft-generator";

    /// <param name="facts">
    /// What the conversation tells about placeholders (<see cref="ConversationFacts"/>); null reads them from the request's
    /// customer texts (the sandbox has no contact).
    /// </param>
    public async Task<Composition> ComposeAsync(DraftRequest request, AiMode mode, CancellationToken ct, AgentSettings? settings = null,
        IReadOnlyDictionary<string, string>? facts = null)
    {
        settings ??= await settingsProvider.GetAsync(request.TenantId, ct);
        request = request with { Settings = settings };
        var variables = settings.Variables.For(request.Language);
        var (scan, vector) = request.GuardrailReleased ? (GuardrailResult.Pass, request.CustomerTextVector) : Scan(settings.Guardrail, request, ct);
        request = request with { CustomerTextVector = vector };
        // A neutral reply takes workspace variables only: it must not repeat anything the customer wrote.
        if (scan.Blocked)
            return new Composition(request.Language, scan, Placeholders.Fill(
                SystemReplies.For(scan.Class, request.Language, request.CustomerText, scan.Triggered, settings.NeutralReplies), variables), null, null, settings);

        var proposal = SmallTalk.Recognise(request.CustomerText) is { } smallTalk && request.Instruction is null
            ? SmallTalk.Draft(smallTalk, request.Language)
            : await resilience.GetPipeline(ResilienceKey).ExecuteAsync(async token => await generator.GenerateAsync(request, token), ct);
        facts ??= ConversationFacts.Of(null, request.History.Where(t => t.FromCustomer).Select(t => t.Text).Append(request.CustomerText));
        var values = Placeholders.Merge(facts, variables);
        proposal = PreferFillable(Filled(proposal, values), values);
        var o = options.Value;
        // No intent (a greeting, thanks) has no policy to read: the draft waits for a person, and the reason says so.
        IntentPolicy? policy = proposal.Intent is null ? null
            : o.AutoSendIntents.Count > 0
                ? o.AutoSendIntents.Contains(proposal.Intent, StringComparer.OrdinalIgnoreCase) ? IntentPolicy.MayAutoSend : IntentPolicy.AlwaysReview
                : settings.Intents.PolicyOf(proposal.Intent);
        var decision = DraftPolicy.Decide(proposal.Confidence, proposal.OutOfKnowledge, proposal.Classification, policy, mode,
            settings.ReviewThreshold, settings.AutoSendThreshold);
        if (decision.AutoSend && request.GuardrailReleased)
            decision = decision with { AutoSend = false, Reason = "guardrail-released" }; // a person said "not a risk", a person sends it
        if (decision.AutoSend && scan.Overruled == GuardrailClass.Security)
            decision = decision with { AutoSend = false, Reason = "guardrail-overruled" }; // "my account was hacked": answered, by a person
        if (decision.AutoSend && HasPlaceholder(proposal.Reply))
            decision = decision with { AutoSend = false, Reason = "placeholders" }; // {{Order Number}} must be filled in by a person
        if (proposal.OutOfKnowledge)
            proposal = proposal with { Reply = SystemReplies.Safe(proposal.Reply, request.CustomerText, [], request.Language) };
        // Policy reads the settings the proposal was made with, so a sandbox run against an old version is faithful.
        return new Composition(request.Language, scan, "", proposal, decision, settings);
    }

    /// <summary>
    /// The guardrail reads the message's sentence vector as well as its words; it is computed once, and the draft reuses it
    /// when it is the vector of the message itself (an English message).
    /// </summary>
    private (GuardrailResult Scan, float[]? CustomerTextVector) Scan(Guardrail guardrail, DraftRequest request, CancellationToken ct)
    {
        var text = request.CustomerText;
        var meaningText = string.IsNullOrWhiteSpace(text) ? null : guardrail.MeaningText(text, request.Language);
        if (meaningText is null) return (guardrail.Scan(text, language: request.Language), request.CustomerTextVector);
        var ofText = meaningText == text;
        var meaning = ofText && request.CustomerTextVector is { } known ? known : embedder.Embed([meaningText], ct)[0];
        return (guardrail.Scan(text, meaning, request.Language), ofText ? meaning : request.CustomerTextVector);
    }

    public static bool HasPlaceholder(string text) => Placeholders.Any(text);

    /// <summary>
    /// A reply with a placeholder nothing can fill ({{Business Hours Start Time}} when the workspace has no such variable)
    /// makes the agent rewrite it; a suggested reply without one goes first, the other stays among the suggestions. A
    /// customer's name or order number is different: the conversation or the agent supplies it. Only the built-in model's
    /// suggestions are interchangeable (the next entries of the same intent); a language model's reply is its best one.
    /// </summary>
    private static DraftProposal PreferFillable(DraftProposal proposal, IReadOnlyDictionary<string, string> values)
    {
        if (proposal.Model != BuiltInModel.ModelName) return proposal;
        bool Unfillable(string text) => Placeholders.Unresolved(text, values).Any(p => !ConversationFacts.IsFactName(p.Name));
        if (!Unfillable(proposal.Reply) || proposal.Alternatives.FirstOrDefault(a => !Unfillable(a)) is not { } better) return proposal;
        return proposal with { Reply = better, Alternatives = [.. proposal.Alternatives.Where(a => a != better), proposal.Reply] };
    }

    private static DraftProposal Filled(DraftProposal proposal, IReadOnlyDictionary<string, string> values) => proposal with
    {
        Reply = Placeholders.Fill(proposal.Reply, values),
        Alternatives = proposal.Alternatives.Select(a => Placeholders.Fill(a, values)).ToList(),
    };
}
