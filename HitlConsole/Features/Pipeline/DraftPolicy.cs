using HitlConsole.Domain;

namespace HitlConsole.Features.Pipeline;


public sealed record PolicyDecision(bool AutoSend, bool LowConfidence, int Confidence, string Reason);

/// <summary>SPEC §2.4: when a draft may go out alone, and when it waits for a person.</summary>
public static class DraftPolicy
{
    /// <summary>Confidence can never exceed this when the model says the answer is not in the knowledge base.</summary>
    public const int OutOfKnowledgeCap = 40;

    /// <param name="intentPolicy">The draft's intent's policy; null when the draft is about no intent (a greeting, thanks), which a person reviews.</param>
    public static PolicyDecision Decide(int confidence, bool outOfKnowledge, string classification, IntentPolicy? intentPolicy,
        AiMode mode, int reviewThreshold, int autoSendThreshold)
    {
        if (reviewThreshold < 0 || autoSendThreshold > 100 || reviewThreshold > autoSendThreshold)
            throw new ArgumentOutOfRangeException(nameof(reviewThreshold), "Thresholds must satisfy 0 <= review <= auto <= 100.");

        var capped = Math.Clamp(outOfKnowledge ? Math.Min(confidence, OutOfKnowledgeCap) : confidence, 0, 100);
        var low = capped < reviewThreshold;
        string? reviewBecause =
            mode != AiMode.Auto ? "ai-mode"
            : classification is "blocked" or "out_of_scope" or "escalation" ? "classification"
            : intentPolicy is null ? "no-intent"
            : intentPolicy != IntentPolicy.MayAutoSend ? "intent-policy"
            : capped < autoSendThreshold ? "below-auto-send-threshold"
            : null;
        return reviewBecause is null
            ? new PolicyDecision(true, false, capped, "auto-send")
            : new PolicyDecision(false, low, capped, reviewBecause);
    }
}
