using HitlConsole.Features.Ai;

namespace HitlConsole.Tests.Features.Ai;

/// <summary>A request for a person in so many words names contact_human_agent, wherever in the message it stands.</summary>
public sealed class PersonRequestTests
{
    [Theory]
    [InlineData("Good evening, my name is Peter and I'm 72. I don't like talking to machines. I would like to speak to a proper person about my order, can you put me through?")]
    [InlineData("can I talk to a real person please")]
    [InlineData("please transfer me to someone from your team")]
    [InlineData("Hola, mi pedido 4411 no llega y ya escribí tres veces. Quiero hablar con una persona.")]
    [InlineData("pásame con alguien del equipo porfa")]
    [InlineData("necesito que me atienda una persona")]
    public void A_request_for_a_person_is_read_anywhere_in_the_message(string text) => Assert.True(PersonRequest.IsIn(text));

    [Theory]
    [InlineData("I don't want to talk to a person, just tell me where my order is")]
    [InlineData("no quiero hablar con una persona, solo díganme dónde está mi pedido")]
    [InlineData("where is my order?")]
    [InlineData("the courier said he would speak to his manager")] // no request for us
    public void Other_messages_are_not_requests_for_a_person(string text) => Assert.False(PersonRequest.IsIn(text));
}
