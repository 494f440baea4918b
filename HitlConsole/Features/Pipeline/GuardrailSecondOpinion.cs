using System.Globalization;
using HitlConsole.Features.Ai;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// When the guardrail's model holds a message on its own (no vocabulary word, no workspace rule) without being sure, the
/// intent classifier is asked too: a message that reads clearly as a support request ("quiero dar de baja mi cuenta para
/// siempre", "I don't use this anymore, I want my profile removed") gets a draft instead of a neutral reply, and that draft
/// always waits for a person, with what the guardrail read in its reasoning. Security is never reconsidered: an account
/// takeover is written as a support request on purpose. Measured in docs/quality.md ("Guardrail, eighth pass").
/// </summary>
public static class GuardrailSecondOpinion
{
    public static bool Applies(GuardrailResult scan, PipelineOptions options) =>
        scan.ModelAlone is { } probability && probability < options.GuardrailDoubtBelow
        && scan.Class is not (GuardrailClass.Security or GuardrailClass.OutOfScope);

    public static bool Releases(BuiltInModel.Classification reading, PipelineOptions options) =>
        reading is { OutOfKnowledge: false, Intent: not null } && reading.Confidence >= options.GuardrailDoubtIntentConfidence;

    /// <summary>The reasoning's suffix (DraftReasoning localises it): what the guardrail read, and that the intent overruled it.</summary>
    public static string Note(GuardrailResult scan) =>
        string.Create(CultureInfo.InvariantCulture, $" (the guardrail read {scan.Class.WireName()} at {scan.ModelAlone:0.00}; the message reads as a support request)");
}
