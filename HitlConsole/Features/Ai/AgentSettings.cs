namespace HitlConsole.Features.Ai;

/// <summary>
/// The parts of the agent configuration drafting reads: identity, grounding and boundaries. Until a workspace
/// saves its own configuration these defaults are in force (version null on the draft).
/// </summary>
public sealed record AgentSettings
{
    public string AssistantName { get; init; } = "Assistant";
    public string BusinessName { get; init; } = "";
    public string BusinessDescription { get; init; } = "an online shop";
    public string Persona { get; init; } = "You are a friendly, precise customer-support assistant.";
    public string Tone { get; init; } = "warm and concise";
    /// <summary>"customer" answers in the customer's language; otherwise a fixed language code.</summary>
    public string ReplyLanguage { get; init; } = "customer";
    public bool StrictGrounding { get; init; } = true;
    public string GroundingInstructions { get; init; } =
        "Answer only with facts from the knowledge entries below. Keep placeholders such as {{Order Number}} as they are. " +
        "If the entries do not answer the question, say so and set out_of_knowledge to true.";
    public string BusinessBoundaries { get; init; } =
        "Never promise refunds, discounts or delivery dates that the knowledge does not state. Never give legal, medical or financial advice.";
    public int Sources { get; init; } = 3;
    public int? ConfigVersion { get; init; }
    public IntentCatalogue Intents { get; init; } = IntentCatalogue.Default;
}

/// <summary>Where drafting reads the configuration in force for a tenant.</summary>
public interface IAgentSettingsProvider
{
    Task<AgentSettings> GetAsync(Guid tenantId, CancellationToken ct);
}

internal sealed class DefaultAgentSettingsProvider(IServiceScopeFactory scopes) : IAgentSettingsProvider
{
    public async Task<AgentSettings> GetAsync(Guid tenantId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider
            .GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Infrastructure.Data.HitlDbContext>>().CreateDbContextAsync(ct);
        var name = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
            db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name), ct);
        return new AgentSettings { BusinessName = name ?? "" };
    }
}
