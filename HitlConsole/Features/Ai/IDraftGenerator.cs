namespace HitlConsole.Features.Ai;

public sealed record ConversationTurn(bool FromCustomer, string Text);

public sealed record DraftRequest(Guid TenantId, Guid ConversationId, string CustomerText, IReadOnlyList<ConversationTurn> History, string Language);

public sealed record DraftProposal(
    string Reply, IReadOnlyList<string> Alternatives, string? Intent, string Classification, int Confidence,
    IReadOnlyList<Guid> SourceIds, bool OutOfKnowledge, string? Reasoning, string Model, int PromptTokens, int CompletionTokens);

/// <summary>Drafts a reply for a customer message; the pipeline applies guardrails before and policy after.</summary>
public interface IDraftGenerator
{
    Task<DraftProposal> GenerateAsync(DraftRequest request, CancellationToken ct);
}
