using Bunit;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Settings;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>The channels page against a real app, in Spanish: how a stored token is hinted, and the webhook URL to copy.</summary>
public sealed class ChannelsPageComponentTests : BunitHost
{
    private async Task<HitlAppFactory> AsAdminAsync()
    {
        var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
        Ctx.AddAuthorization().SetAuthorized(DemoUsers.Admin).SetRoles(Roles.Admin);
        Ctx.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        return app;
    }

    [Fact]
    public async Task A_stored_token_is_hinted_by_how_it_ends_not_by_four_letters_after_dots()
    {
        UseCulture("es");
        await using var app = await AsAdminAsync();
        var cut = Render<ChannelsPage>();

        // The demo token is "test-access-token": its last four characters read as a cut word after the dots ("•••• oken").
        string Help(string testId) => cut.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;
        cut.WaitForAssertion(() => Assert.Contains("termina en …oken", Help("channel-access-token")));
        Assert.DoesNotContain("••••", cut.Markup);
        // The same term as the templates panel below it.
        Assert.Contains("Id de la cuenta comercial", cut.Markup);
        Assert.DoesNotContain("cuenta de empresa", cut.Markup);
    }

    [Fact]
    public async Task The_webhook_url_has_a_copy_button_that_copies_it()
    {
        UseCulture("es");
        await using var app = await AsAdminAsync();
        var cut = Render<ChannelsPage>();

        cut.WaitForElement("[data-testid=channel-webhook-copy]").Click();
        var copied = Ctx.JSInterop.VerifyInvoke("navigator.clipboard.writeText");
        Assert.EndsWith("/webhooks/whatsapp", copied.Arguments.Single() as string);
        Assert.Equal("Copiar", cut.Find("[data-testid=channel-webhook-copy]").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task An_active_channel_without_its_phone_number_id_says_it_is_not_connected()
    {
        UseCulture("es");
        await using var app = await AsAdminAsync();
        var cut = Render<ChannelsPage>();

        cut.WaitForElement("[data-testid=channel-phone-id]");
        Assert.Empty(cut.FindAll("[data-testid=channel-incomplete]")); // the demo's channel has everything
        cut.Find("input[data-testid=channel-phone-id], [data-testid=channel-phone-id] input").Change("");
        cut.WaitForAssertion(() => Assert.Contains("aún sin conectar", cut.Find("[data-testid=channel-incomplete]").TextContent));
    }
}
