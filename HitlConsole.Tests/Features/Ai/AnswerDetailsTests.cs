using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Knowledge.Search;

namespace HitlConsole.Tests.Features.Ai;

/// <summary>Answers written for another customer's city, plan or amount are not sent to this one as facts.</summary>
public sealed class AnswerDetailsTests
{
    [Theory]
    [InlineData("Hi, do you have a physical store in Seville?", "do you deliver to Valencia?", "We do offer delivery to Valencia. To place an order…", "Valencia")]
    [InlineData("do you ship to Spain?", "can i place an order from USA", "Certainly! We accept orders from the USA and ship within the country.", "USA")]
    [InlineData("I want to switch plans", "help me switch to the Platinum account", "I can help you move to the Platinum account.", "Platinum")]
    [InlineData("Can I get a refund for order 778?", "reimburse $1", "I understand you are seeking a refund of $160.", "$160")]
    [InlineData("Can I get a refund?", "refunding 160 dollars", "Thank you for reaching out about a refund of 160 dollars.", "160")]
    [InlineData("Can I get a refund?", "reimburse $160", "A refund of $160: once approved, $160 is back in 5 days.", "$160")] // named once
    [InlineData("¿Hacen envíos a Baleares?", "¿Enviáis a Canarias?", "Sí, enviamos a Canarias en 3 a 5 días laborables.", "Canarias")]
    // A person the answer names though its own question did not (a mixed-up entry): "I need an invoice for order 9911" got it at 92.
    [InlineData("I need an invoice for order 9911", "get invoice #12588", "I can guide you on how to retrieve an invoice from Anna Freeman.", "Anna Freeman")]
    [InlineData("¿dónde está mi factura?", "descargar factura", "Busca la factura de Ana García en tu cuenta.", "Ana García")]
    // Another customer's product: "The jacket arrived yesterday with a broken zip" was answered about a mug.
    [InlineData("The jacket arrived yesterday with a broken zip.", "My mug arrived in pieces 😞", "Send us a photo of the mug and the packaging.", "mug")]
    [InlineData("Me llegó roto el producto", "El jarrón del pedido 58117 me llegó roto", "Mándanos una foto del jarrón y del embalaje.", "jarrón")]
    public void What_the_answer_took_from_its_own_question_and_the_customer_did_not_say_is_named(string customer, string question, string answer, string detail) =>
        Assert.Equal([detail], AnswerDetails.NotGivenBy(customer, question, answer));

    [Theory]
    [InlineData("can I order from valencia?", "do you deliver to Valencia?", "We do offer delivery to Valencia.")] // the customer said it
    [InlineData("ENVÍOS A CANARIAS??", "¿Enviáis a Canarias?", "Sí, enviamos a Canarias.")] // any case, any accent
    [InlineData("refund of $160 please", "I paid $160, I want a refund", "A refund of $160 takes 5 days.")]
    [InlineData("how do I return an item?", "Returns: how do they work?", "Returns are free within 30 days.")] // a capital after a sentence's end
    [InlineData("where is my order?", "where is order 12345?", "Order {{Order Number}} ships in 2 days.")] // placeholders and a policy number
    [InlineData("can I pay with an iPhone?", "can I pay with my iPhone?", "Yes, iPhone payments work.")] // a product's own spelling
    [InlineData("I need the invoice from Anna Freeman", "bill from Anna Freeman", "Look for the invoice associated with Anna Freeman.")] // said
    [InlineData("how do I cancel?", "cancel order", "Click the button labelled Cancel Order, or write to our Customer Service.")] // things, not people
    [InlineData("my mugs came broken", "My mug arrived in pieces", "Send us a photo of the mug.")] // another form of the same thing
    [InlineData("la taza llegó rota", "My mug arrived in pieces", "Send us a photo of the mug.")] // in the other language
    [InlineData("the box was crushed", "The box was crushed, is my mug ok?", "Send us a photo of the box.")] // the answer names no product
    [InlineData("I didn't get my T-shirt", "where's my T-shirt? I can't find it", "Sorry, we don't see it: we'll send the T-shirt again.")]
    public void An_answer_for_anyone_names_nothing(string customer, string question, string answer) =>
        Assert.Empty(AnswerDetails.NotGivenBy(customer, question, answer));

    private static readonly BuiltInModel.Classification Delivery = new("delivery_options", 0.6, 0.3, 0.8, 90, false);

    private static KnowledgeHit Hit(string question, string answer, double score, string language = "en") =>
        new(Guid.NewGuid(), question, answer, "delivery_options", "DELIVERY", language, score, score, 0);

    private static DraftProposal Draft(string text, IReadOnlyList<KnowledgeHit> hits, IntentCatalogue? intents = null, string language = "en") =>
        BuiltInModel.Draft(new DraftRequest(Guid.Empty, Guid.Empty, text, [], language),
            new BuiltInModel.Grounding(Delivery, hits, Given: ConversationFacts.GivenIn(text, [])),
            new AgentSettings { Intents = intents ?? new IntentCatalogue([new IntentDefinition("delivery_options", "", IntentPolicy.MayAutoSend, ["shipping options"])]) });

    [Theory]
    [InlineData("Hola, ¿cómo cancelo mi suscripción mensual?", true)]
    [InlineData("¿Cómo cancelo mi suscripción mensual? Muchas gracias!", true)]
    [InlineData("COMO CANCELO MI SUSCRIPCION MENSUAL", true)]
    [InlineData("Hola, ¿cómo cancelo mi suscripción anual?", false)]
    [InlineData("¿cómo cancelo mi suscripción mensual y el pedido?", false)]
    public void The_entrys_question_asked_with_a_greeting_or_thanks_around_it_is_the_entrys_question(string text, bool same) =>
        Assert.Equal(same, BuiltInModel.AsksTheEntrysQuestion(text, "¿Cómo cancelo mi suscripción mensual?"));

    [Theory]
    [InlineData("Quiero cambiar mi número de teléfono de la cuenta", "Me equivoqué con el apellido al registrarme, ¿lo puedo cambiar?", true)]
    [InlineData("Quiero cambiar mi número de teléfono de la cuenta", "¿Cómo actualizo el correo electrónico de mi perfil?", true)]
    [InlineData("Quiero cambiar mi número de teléfono de la cuenta", "Desearía actualizar mis datos personales en mi cuenta.", false)]
    [InlineData("how do I change my surname?", "I need to change my name on the account", true)]
    [InlineData("I need to change my last name", "how do I change my surname?", false)]
    [InlineData("me muero de ganas de que llegue, ¿cuánto tarda normalmente el envío?", "Si elijo el envío exprés, ¿en cuánto tiempo me llega?", true)]
    [InlineData("Si pido hoy con envío estándar, ¿cuándo me llega?", "Si elijo el envío exprés, ¿en cuánto tiempo me llega?", true)]
    [InlineData("do you offer express delivery?", "If I choose express, how soon will my parcel get here?", false)]
    [InlineData("how long does delivery take?", "How long does delivery take?", false)]
    [InlineData("can I get it in blue instead?", "change the size of my order", false)] // the customer named no detail of the kind
    [InlineData("switch the size in my order to M", "I'd like another colour", true)]
    [InlineData("cambiar la talla y el color", "quiero otro color", false)]
    [InlineData("hola! quiero suscribirme al newsletter para tener descuentos", "Baja del boletín", true)]
    [InlineData("Quiero cancelar mi suscripción al boletín", "Me gustaría suscribirme a su boletín de novedades.", true)]
    [InlineData("how do I unsubscribe from your emails", "can I subscribe to the newsletter?", true)]
    [InlineData("how do I unsubscribe from your emails", "Baja del boletín", false)]
    // Ways to pay: an entry about one way comes after the general ones even when the customer named none of the ways.
    [InlineData("¿Se puede pagar con Bizum o contra reembolso?", "¿Se puede pagar a plazos?", true)]
    [InlineData("¿se puede pagar en OXXO?", "¿Se puede pagar a plazos?", true)]
    [InlineData("¿se puede pagar en OXXO?", "Formas de pago", false)]
    [InlineData("¿puedo pagar en cuotas?", "¿Se puede pagar a plazos?", false)]
    [InlineData("do you take PayPal?", "Do you accept PayPal?", false)]
    public void An_entry_about_another_detail_of_the_same_kind_is_told_apart(string customer, string question, bool another) =>
        Assert.Equal(another, AnswerDetails.AboutAnotherDetail(customer, question));

    [Fact]
    public void An_answer_about_the_customers_own_detail_or_any_detail_goes_before_a_closer_one_about_another()
    {
        var surname = Hit("Me equivoqué con el apellido al registrarme, ¿lo puedo cambiar?", "Entra en tu cuenta y corrige el apellido.", 0.8, "es");
        var any = Hit("Editar mis datos", "Desde tus datos personales puedes cambiar tu nombre, teléfono o correo.", 0.6, "es");

        var draft = Draft("Quiero cambiar mi número de teléfono de la cuenta", [surname, any], language: "es");

        Assert.Equal(any.Answer, draft.Reply);
    }

    [Theory]
    [InlineData(0.9, 90)] // a close answer keeps the intent's confidence
    [InlineData(0.55, 85)]
    [InlineData(0.45, 75)] // a far one is not sent unread, however sure the intent is
    public void Confidence_is_no_higher_than_the_chosen_answers_closeness_allows(double score, int confidence)
    {
        var draft = Draft("do you deliver on weekends?", [Hit("what shipping options are there?", "Standard (3–5 days) or express (24–48 h).", score)]);

        Assert.Equal(confidence, draft.Confidence);
    }

    [Fact]
    public void An_answer_for_anyone_goes_before_a_closer_one_written_for_another_city()
    {
        var valencia = Hit("do you deliver to Valencia?", "We do offer delivery to Valencia.", 0.9);
        var anyone = Hit("what shipping options are there?", "Standard (3–5 days) or express (24–48 h).", 0.6);

        var draft = Draft("do you deliver to Seville?", [valencia, anyone]);

        Assert.Equal(anyone.Answer, draft.Reply);
        Assert.Empty(draft.Alternatives); // a suggestion is one click from the reply box
        Assert.Equal(90, draft.Confidence);
    }

    [Fact]
    public void When_every_answer_names_another_city_the_draft_waits_for_a_person_and_says_why()
    {
        var draft = Draft("do you deliver to Seville?",
            [Hit("do you deliver to Valencia?", "We do offer delivery to Valencia.", 0.9), Hit("shipping to Dublin", "We ship to Dublin.", 0.8)]);

        Assert.Equal("We do offer delivery to Valencia.", draft.Reply);
        Assert.Equal(["We ship to Dublin."], draft.Alternatives); // all alike: for the agent to adapt
        Assert.Equal(BuiltInModel.OthersDetailsConfidence, draft.Confidence);
        Assert.EndsWith("(the answer names what the customer did not say: Valencia)", draft.Reasoning);
    }

    [Fact]
    public void When_every_answer_names_another_city_the_intents_own_reply_in_the_customers_language_is_the_draft()
    {
        var intents = new IntentCatalogue([new IntentDefinition("delivery_options", "", IntentPolicy.MayAutoSend, ["shipping options"],
            ["Could you tell me where the order is going, so I can list the delivery options there?", "¿A dónde va el pedido? Así te digo las opciones de envío."])]);
        var hits = new[] { Hit("¿Enviáis a Canarias?", "Sí, enviamos a Canarias.", 0.9, "es") };

        var draft = Draft("¿Hacen envíos a Sevilla?", hits, intents, "es");

        Assert.Equal("¿A dónde va el pedido? Así te digo las opciones de envío.", draft.Reply);
        Assert.Empty(draft.Alternatives);
        Assert.Equal(90, draft.Confidence);
        Assert.DoesNotContain("did not say", draft.Reasoning);
    }

    [Fact]
    public void The_customers_own_city_is_no_reason_to_doubt()
    {
        var draft = Draft("can I order from Valencia?", [Hit("do you deliver to Valencia?", "We do offer delivery to Valencia.", 0.9)]);

        Assert.Equal(("We do offer delivery to Valencia.", 90), (draft.Reply, draft.Confidence));
    }
}
