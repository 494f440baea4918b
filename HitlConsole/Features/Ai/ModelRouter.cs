using System.Diagnostics;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Ai;

/// <summary>
/// The tenant's routing chain: retrieval and intent classification run once (built-in model), then profiles are
/// tried in order — those that prefer the classified intent first — until one answers. A workspace without
/// profiles drafts with the built-in model.
/// </summary>
public sealed partial class ModelRouter(
    IServiceScopeFactory scopes, BuiltInModel builtIn, OpenAiCompatibleModel openAi, IAgentSettingsProvider settingsProvider,
    ILogger<ModelRouter> logger) : IDraftGenerator
{
    public async Task<DraftProposal> GenerateAsync(DraftRequest request, CancellationToken ct)
    {
        var settings = request.Settings ?? await settingsProvider.GetAsync(request.TenantId, ct);
        var grounding = await builtIn.GroundAsync(request, settings.Intents, settings.Sources, ct);
        var chain = Order(await ChainAsync(request.TenantId, ct), grounding.Classification.Intent);

        var failures = new List<string>();
        foreach (var profile in chain)
        {
            using var span = StartModelSpan(profile);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var proposal = profile.Kind == ModelProviderKind.BuiltIn
                    ? BuiltInModel.Draft(grounding.Applied(request), grounding, settings)
                    : await openAi.DraftAsync(profile, request, settings, grounding.Hits, ct);
                Record(span, profile, proposal, Stopwatch.GetElapsedTime(started));
                proposal = WithCannedReplies(proposal, settings, request.Language, grounding.Given);
                return failures.Count == 0 ? proposal
                    : proposal with { Reasoning = $"{proposal.Reasoning} (after fallback: {string.Join("; ", failures)})" };
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var reason = Describe(ex);
                span?.SetStatus(ActivityStatusCode.Error, reason);
                span?.SetTag("error.type", reason);
                HitlMetrics.ModelCallSeconds.WithLabels(profile.Name, KindLabel(profile), "error").Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                failures.Add($"{profile.Name}: {reason}");
                LogProfileFailed(profile.Name, reason);
            }
        }
        throw new ModelChainFailedException(string.Join("; ", failures));
    }

    /// <summary>A span per model call, named and tagged after OpenTelemetry's GenAI semantic conventions.</summary>
    private static Activity? StartModelSpan(ModelProfile profile)
    {
        var model = profile.Kind == ModelProviderKind.BuiltIn ? "built-in" : profile.Model ?? profile.Name;
        var span = Tracing.Source.StartActivity($"chat {model}", ActivityKind.Client);
        span?.SetTag("gen_ai.operation.name", "chat");
        span?.SetTag("gen_ai.provider.name", profile.Kind == ModelProviderKind.BuiltIn ? "hitlconsole.built_in" : "openai");
        span?.SetTag("gen_ai.request.model", model);
        span?.SetTag("hitl.model_profile", profile.Name);
        return span;
    }

    private static void Record(Activity? span, ModelProfile profile, DraftProposal proposal, TimeSpan took)
    {
        HitlMetrics.ModelCallSeconds.WithLabels(profile.Name, KindLabel(profile), "ok").Observe(took.TotalSeconds);
        var model = proposal.Model;
        // Only counts the server reported (the built-in model reports none): an estimate would be a lie on a bill.
        if (proposal.PromptTokens > 0) HitlMetrics.ModelTokens.WithLabels(model, "input").Inc(proposal.PromptTokens);
        if (proposal.CompletionTokens > 0) HitlMetrics.ModelTokens.WithLabels(model, "output").Inc(proposal.CompletionTokens);
        if (span is null) return;
        span.SetTag("gen_ai.response.model", model);
        span.SetTag("gen_ai.usage.input_tokens", proposal.PromptTokens);
        span.SetTag("gen_ai.usage.output_tokens", proposal.CompletionTokens);
    }

    private static string KindLabel(ModelProfile profile) => profile.Kind == ModelProviderKind.BuiltIn ? "built_in" : "openai_compatible";

    /// <summary>
    /// Whether a reviewer's instruction ("shorter, ask for the order number") reaches a model that reads it: the built-in
    /// model only retrieves and classifies, so a regenerate with an instruction would come back unchanged.
    /// </summary>
    public async Task<bool> FollowsInstructionsAsync(Guid tenantId, string? intent, CancellationToken ct) =>
        Order(await ChainAsync(tenantId, ct), intent).FirstOrDefault() is { Kind: not ModelProviderKind.BuiltIn };

    private async Task<IReadOnlyList<ModelProfile>> ChainAsync(Guid tenantId, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var profiles = await db.ModelProfiles.AsNoTracking().Where(p => p.ChainOrder != null).OrderBy(p => p.ChainOrder).ThenBy(p => p.Name).ToListAsync(ct);
        return profiles.Count > 0 ? profiles : [new ModelProfile { Name = "Built-in", Kind = ModelProviderKind.BuiltIn, ChainOrder = 0 }];
    }

    /// <summary>
    /// Suggested replies are the model's alternatives plus the intent's canned replies from the configuration, in the
    /// customer's language (a reply is kept when its language cannot be told), at most five. A canned reply that asks for
    /// the order number is left out when the customer already gave it: one click would send the question back.
    /// </summary>
    internal static DraftProposal WithCannedReplies(DraftProposal proposal, AgentSettings settings, string language, ConversationFacts.Given given = default)
    {
        var canned = settings.Intents.Find(proposal.Intent)?.SuggestedReplies ?? [];
        var fitting = canned.Where(r => SystemReplies.GuessLanguage(r, language) == language && !given.AskedAgainBy(r));
        return proposal with { Alternatives = proposal.Alternatives.Concat(fitting).Where(a => a != proposal.Reply).Distinct().Take(5).ToList() };
    }

    /// <summary>Profiles that name the intent go first (per-intent override); the rest keep their chain order.</summary>
    internal static IReadOnlyList<ModelProfile> Order(IReadOnlyList<ModelProfile> chain, string? intent) =>
        intent is null ? chain : chain.OrderBy(p => Prefers(p, intent) ? 0 : 1).ToList();

    private static bool Prefers(ModelProfile profile, string intent) =>
        profile.PreferredIntents?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(intent, StringComparer.OrdinalIgnoreCase) == true;

    internal static string Describe(Exception ex) => ex switch
    {
        TimeoutException => "timeout",
        System.ClientModel.ClientResultException { Status: > 0 } c => $"HTTP {c.Status}",
        HttpRequestException h when h.StatusCode is { } code => $"HTTP {(int)code}",
        HttpRequestException => "connection failed",
        System.ClientModel.ClientResultException => "connection failed",
        _ => ex.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model profile {Profile} failed ({Reason}); trying the next in the chain")]
    private partial void LogProfileFailed(string profile, string reason);
}

public sealed class ModelChainFailedException(string failures) : Exception($"Every model in the chain failed: {failures}");
