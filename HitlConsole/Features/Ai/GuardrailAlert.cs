using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Features.Ai;

/// <summary>An <see cref="LiveEventKind.Alert"/>: the guardrail stopped a draft, and why (urgent classes raise a banner).</summary>
public sealed record GuardrailAlert(GuardrailClass Class) : LivePayload;
