using HitlConsole.Domain;
namespace HitlConsole.Features.Ai;

/// <summary>
/// The agent configuration as drafting reads it, built from the version in force
/// (<see cref="AgentConfig.AgentConfigDocument.ToSettings"/>). A workspace that never saved one drafts with these
/// defaults (version null on the draft).
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
    public IReadOnlyDictionary<string, string> FallbackMessages { get; init; } = SystemReplies.Generic;
    public int Sources { get; init; } = 3;
    public int HistoryTurns { get; init; } = 10;
    public int AutoSendThreshold { get; init; } = 85;
    public int ReviewThreshold { get; init; } = 60;
    public TimeSpan AutoSendDelay { get; init; } = TimeSpan.FromSeconds(30);
    public int? ConfigVersion { get; init; }
    public IntentCatalogue Intents { get; init; } = IntentCatalogue.Default;
    public Guardrail Guardrail { get; init; } = new();
    public IReadOnlyDictionary<(GuardrailClass, string), string> NeutralReplies { get; init; } = SystemReplies.Defaults;
    public WorkspaceVariables Variables { get; init; } = WorkspaceVariables.None;

    /// <summary>The fallback sentence in the customer's language (English when none is configured for it).</summary>
    public string FallbackFor(string language) =>
        FallbackMessages.GetValueOrDefault(language) ?? FallbackMessages.GetValueOrDefault("en") ?? SystemReplies.Generic["en"];
}

/// <summary>Where drafting reads the configuration in force for a tenant.</summary>
public interface IAgentSettingsProvider
{
    Task<AgentSettings> GetAsync(Guid tenantId, CancellationToken ct);

    /// <summary>A specific saved version (for the sandbox), or null when the workspace has no such version.</summary>
    Task<AgentSettings?> GetVersionAsync(Guid tenantId, int version, CancellationToken ct);
}
