using HitlConsole.Features.Ai;

namespace HitlConsole.Tests.Features.Ai;

public sealed class StatedFactsTests
{
    [Theory]
    [InlineData("Hi, I want to cancel my order 4411, it has not shipped yet", "Order 19382 has already shipped but I don't want it anymore. Can I still cancel?", true)]
    [InlineData("I want to cancel order 4411 before it ships", "Order 19382 has already shipped but I don't want it anymore. Can I still cancel?", true)]
    [InlineData("my order shipped already, can i still cancel it?", "My order hasn't shipped yet, can I cancel it?", true)]
    [InlineData("Quiero cancelar, todavía no me ha llegado", "Ya me llegó el pedido pero quiero cancelarlo", true)]
    [InlineData("No, ya me llegó, pero vino roto", "Todavía no me ha llegado el pedido", true)]
    [InlineData("I haven't been charged yet", "I was already charged twice", true)]
    [InlineData("Hice el pedido pero todavía no me cobraron, ¿está bien?", "Me han cobrado dos veces el mismo pedido, ¿qué hago?", true)]
    [InlineData("I placed the order but I haven't been charged yet", "I was charged twice for the same order", true)]
    // A past tense with its day is done: "salió hace 8 días" was answered "te decimos exactamente cuándo sale".
    [InlineData("Mi pedido 70215 salió hace 8 días y el seguimiento dice 'en tránsito'. ¿Se perdió?", "Pagué el pedido 27164 hace cinco días y sigue sin enviarse", true)]
    [InlineData("My order shipped yesterday but I want to change the colour", "I ordered the wrong size, can you change it before it ships?", true)]
    // The same fact both ways, a question, or a fact the other does not state: no contradiction.
    [InlineData("it has not shipped yet, cancel it", "My order hasn't shipped, can I cancel?", false)]
    [InlineData("has my order shipped?", "Order 19382 has already shipped. Can I still cancel?", false)]
    [InlineData("How do I cancel an order?", "Order 19382 has already shipped. Can I still cancel?", false)]
    [InlineData("it has not shipped yet", "How do I cancel an order?", false)]
    [InlineData("I don't want it anymore, it shipped already", "Order 19382 has already shipped but I don't want it anymore.", false)]
    public void An_entry_written_for_the_opposite_fact_is_told_apart(string customer, string question, bool contradicts) =>
        Assert.Equal(contradicts, StatedFacts.Contradicts(customer, question));

    [Theory]
    [InlineData("I need to cancel order #48213, ordered the wrong size sneakers", "Order 19382 has already shipped but I don't want it anymore. Can I still cancel?", true)]
    [InlineData("Quiero cancelar mi pedido", "Ya me llegó el pedido pero quiero cancelarlo", true)]
    // A fact not done, or the same fact stated: how most customers ask, nothing presumed.
    [InlineData("where is my order?", "My order hasn't arrived yet", false)]
    [InlineData("¿me llega hoy? todavía no salió", "Mi pedido todavía no ha salido", false)] // a present tense with "hoy" asks
    [InlineData("I got double charged for my order", "I was charged twice for the same order", false)]
    [InlineData("you charged me twice!!", "I was charged twice for the same order", false)]
    [InlineData("me cobraron el doble", "Me han cobrado dos veces el mismo pedido", false)]
    [InlineData("cancel order 5521 please, it shipped already", "Order 19382 has already shipped. Can I still cancel?", false)]
    public void An_entry_written_for_a_case_the_customer_did_not_state_is_told_apart(string customer, string question, bool presumes) =>
        Assert.Equal(presumes, StatedFacts.Presumes(customer, question));
}
