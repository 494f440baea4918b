using HitlConsole.Features.Ai;

namespace HitlConsole.Tests.Features.Ai;

/// <summary>A message that asks two things and an answer that speaks of one: the other question is named, for a person to add.</summary>
public sealed class MessagePartsTests
{
    [Theory]
    [InlineData("can I change the delivery address on my order and when will it arrive?", "en", 2)]
    [InlineData("do you take paypal? and can I pay in installments", "en", 2)]
    [InlineData("do you ship to Ireland and how much is express", "en", 2)]
    [InlineData("aceptan paypal? y se puede pagar a meses sin intereses?", "es", 2)]
    [InlineData("hola! puedo cambiar la direccion de envio y cuando me llega?? 🙏", "es", 2)]
    [InlineData("cuanto tarda el envio a Canarias y cuanto cuesta", "es", 2)]
    [InlineData("where is my parcel?? its been 2 weeks this is ridiculous", "en", 1)]
    // Statements are not questions, even with "se" or "me" in front: Spanish asks with its question mark or its asking words.
    [InlineData("Se muda la semana que viene y está todo patas arriba. ¿Me pueden cambiar la dirección?", "es", 1)]
    [InlineData("ya van 2 semanas, es una vergüenza. dónde está mi paquete??", "es", 1)]
    [InlineData("I want to cancel my order and get a refund", "en", 0)]
    public void The_questions_of_a_message_are_its_asking_clauses(string text, string language, int count) =>
        Assert.Equal(count, MessageParts.Questions(text, language).Count);

    [Theory]
    [InlineData("can I change the delivery address on my order and when will it arrive?", "en", "Can I change my delivery address?",
        "Yes, as long as your order hasn't left our warehouse, and the change is free.", "when will it arrive")]
    [InlineData("do you take paypal? and can I pay in installments", "en", "Do you accept PayPal?",
        "Yes, you can pay with PayPal. We also accept credit and debit cards.", "can I pay in installments")]
    [InlineData("aceptan paypal? y se puede pagar a meses sin intereses?", "es", "¿Aceptan PayPal?",
        "Aceptamos PayPal y tarjeta de crédito o débito.", "se puede pagar a meses sin intereses")]
    [InlineData("cómo me hago una cuenta y hay descuento de bienvenida?", "es", "¿Cómo creo una cuenta?",
        "Pulsa en «Crear cuenta», pon tu correo y una contraseña.", "hay descuento de bienvenida")]
    // The place is what this question is about: an answer on express shipping does not say whether it ships there.
    [InlineData("do you ship to Ireland and how much is express", "en", "Do you offer express shipping?",
        "Yes. Express delivery arrives within 24–48 hours; you choose it at the shipping step of checkout.", "do you ship to Ireland")]
    public void A_question_the_answer_does_not_speak_of_is_left_out(string text, string language, string question, string answer, string leftOut) =>
        Assert.Equal([leftOut], MessageParts.Read(text, language).LeftOutBy(question, answer));

    [Theory]
    // Both questions answered, in other words than the customer's ("arrive" and "delivery times" share no stem; "llega" does).
    [InlineData("can I change the address and when will it arrive?", "en", "Can I change my address?",
        "Yes, the change is free. Once changed, your order will arrive in 3–5 business days.")]
    [InlineData("hacéis envíos a Portugal y cuánto cuesta el exprés?", "es", "¿Enviáis a Portugal?",
        "Sí, enviamos a Portugal. El exprés cuesta lo que ves al pagar, según el destino.")]
    // One question, however long the message.
    [InlineData("I returned the jacket last week, when do I get my money back? my email is jenny@example.com", "en", "When do I get my refund?",
        "The refund reaches your original payment method within 5 to 10 business days.")]
    public void An_answer_that_speaks_of_every_question_leaves_none_out(string text, string language, string question, string answer) =>
        Assert.Empty(MessageParts.Read(text, language).LeftOutBy(question, answer));
}
