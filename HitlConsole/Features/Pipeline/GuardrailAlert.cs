namespace HitlConsole.Features.Pipeline;

/// <summary>An <see cref="LiveEventKind.Alert"/>: the guardrail stopped a draft, and why (urgent classes raise a banner).</summary>
public sealed record GuardrailAlert(GuardrailClass Class) : LivePayload;
