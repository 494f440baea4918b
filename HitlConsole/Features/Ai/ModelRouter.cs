using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
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
            try
            {
                var proposal = profile.Kind == ModelProviderKind.BuiltIn
                    ? BuiltInModel.Draft(request, grounding, settings)
                    : await openAi.DraftAsync(profile, request, settings, grounding.Hits, ct);
                proposal = WithCannedReplies(proposal, settings, request.Language);
                return failures.Count == 0 ? proposal
                    : proposal with { Reasoning = $"{proposal.Reasoning} (after fallback: {string.Join("; ", failures)})" };
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var reason = Describe(ex);
                failures.Add($"{profile.Name}: {reason}");
                LogProfileFailed(profile.Name, reason);
            }
        }
        throw new ModelChainFailedException(string.Join("; ", failures));
    }

    private async Task<IReadOnlyList<ModelProfile>> ChainAsync(Guid tenantId, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var profiles = await db.ModelProfiles.AsNoTracking().Where(p => p.ChainOrder != null).OrderBy(p => p.ChainOrder).ThenBy(p => p.Name).ToListAsync(ct);
        return profiles.Count > 0 ? profiles : [new ModelProfile { Name = "Built-in", Kind = ModelProviderKind.BuiltIn, ChainOrder = 0 }];
    }

    /// <summary>
    /// Suggested replies are the model's alternatives plus the intent's canned replies from the configuration, in the
    /// customer's language (a reply is kept when its language cannot be told), at most five.
    /// </summary>
    internal static DraftProposal WithCannedReplies(DraftProposal proposal, AgentSettings settings, string language)
    {
        var canned = settings.Intents.Find(proposal.Intent)?.SuggestedReplies ?? [];
        var fitting = canned.Where(r => Pipeline.SystemReplies.GuessLanguage(r, language) == language);
        return proposal with { Alternatives = proposal.Alternatives.Where(a => a != proposal.Reply).Concat(fitting).Distinct().Take(5).ToList() };
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
