using Bunit;
using HitlConsole.Features.Inbox;
using HitlConsole.Tests.Support;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>"Write a reply" (no draft to review) offers the saved replies on "/" the way the draft editor does.</summary>
public sealed class OwnReplyComponentTests : BunitHost
{
    private static readonly SavedReplyChoice Shipping = new(Guid.NewGuid(), "envio", "es", "Tu pedido llega en 2-3 días laborables.");
    private static readonly SavedReplyChoice Hours = new(Guid.NewGuid(), "horario", "es", "Atendemos de 9 a 18 h.");

    [Fact]
    public async Task A_slash_word_lists_the_saved_replies_and_enter_puts_the_chosen_one_in_its_place()
    {
        UseCulture("es");
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        Ctx.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        var cut = Render<OwnReply>(p => p.Add(x => x.ConversationId, Guid.NewGuid()).Add(x => x.SavedReplies, [Shipping, Hours]));

        cut.Find("textarea").Input("Hola Marta. /");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=slash-suggestion]").Count));
        Assert.Equal("true", cut.Find(".hitl-slash-host").GetAttribute("data-slash-open"));
        cut.Find("textarea").Input("Hola Marta. /env");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=slash-suggestion]")));

        cut.Find("textarea").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        cut.WaitForAssertion(() => Assert.Equal("Hola Marta. Tu pedido llega en 2-3 días laborables.", cut.Find("textarea").GetAttribute("value")));
        Assert.Empty(cut.FindAll("[data-testid=slash-suggestion]"));
        Assert.Equal("false", cut.Find(".hitl-slash-host").GetAttribute("data-slash-open"));

        // Escape closes the list and leaves the typed text as it is.
        cut.Find("textarea").Input("Hola. /hor");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=slash-suggestion]")));
        cut.Find("textarea").KeyDown(new KeyboardEventArgs { Key = "Escape" });
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=slash-suggestion]")));
        Assert.Equal("Hola. /hor", cut.Find("textarea").GetAttribute("value"));
    }
}
