using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;

namespace HitlConsole.Tests.Features.Pipeline;

public sealed class PolicyTests
{
    private static PolicyDecision Decide(int confidence, bool ook = false, string cls = "answer", IntentPolicy intent = IntentPolicy.MayAutoSend,
        AiMode mode = AiMode.Auto) => DraftPolicy.Decide(confidence, ook, cls, intent, mode, reviewThreshold: 60, autoSendThreshold: 85);

    [Theory]
    [InlineData(85, true)]
    [InlineData(86, true)]
    [InlineData(84, false)]
    [InlineData(100, true)]
    public void Auto_send_needs_the_threshold_reached(int confidence, bool auto) => Assert.Equal(auto, Decide(confidence).AutoSend);

    [Theory]
    [InlineData(60, false)]
    [InlineData(59, true)]
    [InlineData(0, true)]
    public void Below_the_review_threshold_a_draft_is_flagged_low_confidence(int confidence, bool low) =>
        Assert.Equal(low, Decide(confidence).LowConfidence);

    [Fact]
    public void Out_of_knowledge_caps_confidence_and_never_auto_sends()
    {
        var d = Decide(99, ook: true);
        Assert.Equal(DraftPolicy.OutOfKnowledgeCap, d.Confidence);
        Assert.False(d.AutoSend);
        Assert.True(d.LowConfidence);
    }

    [Theory]
    [InlineData(AiMode.ReviewEverything)]
    [InlineData(AiMode.Off)]
    public void Only_auto_mode_auto_sends(AiMode mode) => Assert.Equal("ai-mode", Decide(99, mode: mode).Reason);

    [Theory]
    [InlineData(IntentPolicy.AlwaysReview)]
    [InlineData(IntentPolicy.Escalate)]
    [InlineData(IntentPolicy.Block)]
    public void Only_intents_that_may_auto_send_do(IntentPolicy policy) => Assert.False(Decide(99, intent: policy).AutoSend);

    [Theory]
    [InlineData("blocked")]
    [InlineData("out_of_scope")]
    [InlineData("escalation")]
    public void Blocked_out_of_scope_and_escalations_always_go_to_review(string cls) => Assert.False(Decide(100, cls: cls).AutoSend);

    [Fact]
    public void Thresholds_must_be_ordered() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DraftPolicy.Decide(50, false, "answer", IntentPolicy.MayAutoSend, AiMode.Auto, 90, 80));
}

public sealed class PlaceholderTests
{
    [Theory]
    [InlineData("Your order {{Order Number}} is on its way.", true)]
    [InlineData("Use {{Website URL}}/track", true)]
    [InlineData("We are open 9:00 to 18:00 {weekdays}.", false)]
    [InlineData("Nothing to fill in here.", false)]
    public void Unfilled_placeholders_are_recognised(string reply, bool expected) =>
        Assert.Equal(expected, HitlConsole.Features.Pipeline.DraftComposer.HasPlaceholder(reply));
}
