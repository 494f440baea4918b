using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Knowledge.Search;

namespace HitlConsole.Tests.Features.Ai;

/// <summary>The workspace's preferred answer drafts the reply for its intent when it asks about as closely as the closest entry.</summary>
public sealed class PreferredAnswerTests
{
    private static readonly BuiltInModel.Classification Cancel = new("cancel_order", 0.7, 0.2, 0.92, 95, false);

    private const string Walkthrough = "Certainly! To cancel, follow these steps: 1. Log in. 2. Open Order History. 3. Click Cancel.";
    private const string Policy = "You can cancel free of charge as long as your order hasn't left our warehouse: go to My orders and choose Cancel.";

    private static KnowledgeHit Hit(string question, string answer, double semantic, bool preferred = false, string language = "en") =>
        new(Guid.NewGuid(), question, answer, "cancel_order", "ORDER", language, 0.75 * semantic, semantic, 0) { Preferred = preferred };

    private static DraftProposal Draft(IReadOnlyList<KnowledgeHit> hits, IReadOnlyList<KnowledgeHit> preferred, string text = "I want to cancel my order",
        string language = "en") =>
        BuiltInModel.Draft(new DraftRequest(Guid.Empty, Guid.Empty, text, [], language),
            new BuiltInModel.Grounding(Cancel, hits, Given: ConversationFacts.GivenIn(text, [])) { PreferredOfIntent = preferred },
            new AgentSettings { Intents = new IntentCatalogue([new IntentDefinition("cancel_order", "", IntentPolicy.AlwaysReview, ["cancel my order"])]) });

    [Fact]
    public void A_preferred_answer_about_as_close_as_the_closest_paraphrase_drafts_the_reply_and_is_its_first_source()
    {
        var own = Hit("How do I cancel an order?", Policy, 0.80, preferred: true);
        var draft = Draft([Hit("canceling order", Walkthrough, 0.92), Hit("cancel order 123", Walkthrough + " ", 0.88)], [own]);

        Assert.Equal(Policy, draft.Reply);
        Assert.Equal(own.Id, draft.SourceIds[0]);
        Assert.Contains(Walkthrough, draft.Alternatives);
    }

    [Fact]
    public void A_preferred_answer_far_below_the_closest_entry_does_not()
    {
        // More than BuiltInModel.PreferredMargin (0.25) below the closest entry.
        var draft = Draft([Hit("canceling order", Walkthrough, 0.92)], [Hit("Order 19382 has already shipped, can I still cancel?", Policy, 0.60, preferred: true)]);

        Assert.Equal(Walkthrough, draft.Reply);
    }

    [Fact]
    public void A_weak_preferred_answer_does_not_draft_even_when_every_entry_is_weak()
    {
        // Below BuiltInModel.PreferredFloor (0.5), however close the others are.
        var draft = Draft([Hit("canceling order", Walkthrough, 0.52)], [Hit("How do I cancel an order?", Policy, 0.45, preferred: true)]);

        Assert.Equal(Walkthrough, draft.Reply);
    }

    [Fact]
    public void Without_preferred_answers_the_closest_entry_drafts_as_before()
    {
        var draft = Draft([Hit("canceling order", Walkthrough, 0.92), Hit("How do I cancel an order?", Policy, 0.85)], []);

        Assert.Equal(Walkthrough, draft.Reply);
    }

    [Fact]
    public void Of_two_preferred_answers_within_reach_the_closer_one_drafts()
    {
        const string Shipped = "Once an order has left our warehouse it can no longer be cancelled, but you can return it for free.";
        var draft = Draft([Hit("canceling order", Walkthrough, 0.92)],
            [Hit("Order 19382 has already shipped but I don't want it anymore. Can I still cancel?", Shipped, 0.78, preferred: true),
             Hit("How do I cancel an order?", Policy, 0.84, preferred: true)]);

        Assert.Equal(Policy, draft.Reply);
    }

    [Fact]
    public void Where_every_answer_is_preferred_the_order_stays_as_it_was()
    {
        const string Broken = "We're so sorry. Send us a photo of the item and the packaging; we'll send a new one or refund it.";
        // The closer question by meaning, the better answer by words too: the fused score decides as it did before.
        var wrongItem = Hit("I received the wrong item", "Send us a photo of the item you received and of the parcel's label.", 0.61, preferred: true) with { Score = 0.46 };
        var arrivedBroken = Hit("My mug arrived in pieces", Broken, 0.52, preferred: true) with { Score = 0.50 };

        Assert.Equal(Broken, Draft([wrongItem, arrivedBroken], [wrongItem, arrivedBroken], "the item arrived broken").Reply);
    }

    [Fact]
    public void A_preferred_answer_in_another_language_never_outranks_one_in_the_customers()
    {
        var draft = Draft([Hit("cancelar pedido", "Puedes cancelarlo gratis desde Mis pedidos.", 0.90, language: "es")],
            [Hit("How do I cancel an order?", Policy, 0.89, preferred: true)], "quiero cancelar mi pedido", "es");

        Assert.StartsWith("Puedes cancelarlo", draft.Reply);
    }
}
