using HitlConsole.Features.Knowledge.Search;

namespace HitlConsole.Features.Ai;

public sealed record ConversationTurn(bool FromCustomer, string Text);

/// <summary>What a draft is made from. <see cref="Instruction"/> is the reviewer's hint when regenerating.</summary>
public sealed record DraftRequest(
    Guid TenantId, Guid ConversationId, string CustomerText, IReadOnlyList<ConversationTurn> History, string Language, string? Instruction = null)
{
    /// <summary>The configuration to draft with; null means the one in force (the sandbox passes an older version).</summary>
    public AgentSettings? Settings { get; init; }
    /// <summary>An Admin released a guardrail block as a false positive: draft without the pre-scan, this once.</summary>
    public bool GuardrailReleased { get; init; }
    /// <summary>The MiniLM vector of <see cref="CustomerText"/> when the guardrail already computed it (the draft reuses it).</summary>
    public float[]? CustomerTextVector { get; init; }
}

public sealed record DraftProposal(
    string Reply, IReadOnlyList<string> Alternatives, string? Intent, string Classification, int Confidence,
    IReadOnlyList<Guid> SourceIds, bool OutOfKnowledge, string? Reasoning, string Model, int PromptTokens, int CompletionTokens)
{
    /// <summary>What retrieval found, best first (the sandbox and the AI panel show it).</summary>
    public IReadOnlyList<KnowledgeHit> Hits { get; init; } = [];
}

/// <summary>Drafts a reply for a customer message; the pipeline applies guardrails before and policy after.</summary>
public interface IDraftGenerator
{
    Task<DraftProposal> GenerateAsync(DraftRequest request, CancellationToken ct);
}
