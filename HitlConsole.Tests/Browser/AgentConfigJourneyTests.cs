using System.Text.Json;
using System.Text.RegularExpressions;
using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using HitlConsole.Features.Models;

namespace HitlConsole.Tests.Browser;

/// <summary>An Admin changes the assistant's tone, saves, compares versions, restores, and sees the sandbox follow.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class AgentConfigJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: false)
{
    /// <summary>A model that answers in whatever tone the prompt asks for, so the sandbox shows which version drafted.</summary>
    private static FakeOpenAiServer ToneEchoServer() => new()
    {
        Responder = request =>
        {
            var system = request.GetProperty("messages")[0].GetProperty("content").ToString();
            var tone = ToneLine().Match(system).Groups[1].Value;
            return new FakeOpenAiServer.Answer(200, JsonSerializer.Serialize(new
            {
                reply = $"[tone: {tone}] Your order is on its way.", alternatives = Array.Empty<string>(), intent = "track_order",
                classification = "answer", confidence = 80, sources = Array.Empty<string>(), out_of_knowledge = false, reasoning = "tone echo",
            }));
        },
    };

    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
    }

    [GeneratedRegex(@"Tone: ([^.]+)\.")]
    private static partial Regex ToneLine();

    [Theory]
    [InlineData("en", "Version 2 in force", "Formal and precise")]
    [InlineData("es", "Versión 2 en vigor", "Formal y preciso")]
    public async Task An_admin_changes_the_tone_compares_restores_and_the_sandbox_follows(string culture, string version2, string formal)
    {
        await using var server = ToneEchoServer();
        var tenant = await App.Services.DemoTenantIdAsync();
        await using (var scope = App.Services.ForTenant(tenant, await App.Services.UserIdAsync(tenant, DemoUsers.Admin)))
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<ModelProfiles>().SaveAsync(null, new ModelProfileInput
            {
                Name = "Local LLM", Kind = ModelProviderKind.OpenAiCompatible, BaseUrl = server.BaseUrl, Model = "local-model-a", ChainOrder = 0,
            }, CancellationToken.None));

        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/agent-config", 1400, 1000);
        await Expect(page.GetByTestId("config-live-version")).ToContainTextAsync("1");
        await Expect(page.GetByTestId("config-save")).ToBeDisabledAsync();

        // A field error blocks saving and says why, next to the field.
        await BrowserFixture.Field(page, "config-assistant-name").FillAsync("");
        await Expect(page.GetByTestId("config-save")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("config-state")).ToContainTextAsync("1");
        await BrowserFixture.Field(page, "config-assistant-name").FillAsync("Ana");

        // A preset is picked by its name in the UI language; the model reads its instruction as written.
        await page.GetByTestId("config-tone-preset").ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = formal }).ClickAsync();
        await Expect(page.GetByTestId("config-tone")).ToHaveCountAsync(0);
        await BrowserFixture.Field(page, "config-comment").FillAsync("More formal for B2B customers");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-agent-config-{culture}.png"), FullPage = true });
        await page.GetByTestId("config-save").ClickAsync();
        await Expect(page.GetByTestId("config-live-version")).ToHaveTextAsync(version2);

        // The sandbox drafts with the tone in force.
        await OpenAsync(page, "/agent-config/sandbox");
        await BrowserFixture.Field(page, "sandbox-text").FillAsync("where is my order?");
        await page.GetByTestId("sandbox-run").ClickAsync();
        await Expect(page.GetByTestId("sandbox-reply")).ToContainTextAsync("[tone: formal and precise]", new() { Timeout = 45_000 }); // the app's first draft loads the models

        // Compare version 1 with version 2: the tone and the name are the changes.
        await OpenAsync(page, "/agent-config/versions");
        await Expect(page.GetByTestId("version-row")).ToHaveCountAsync(2);
        await page.GetByTestId("version-select").Nth(0).ClickAsync();
        await page.GetByTestId("version-select").Nth(1).ClickAsync();
        await page.GetByTestId("version-compare").ClickAsync();
        await Expect(page.GetByTestId("diff-changed")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("version-diff")).ToContainTextAsync(culture == "es" ? "Identidad › Tono" : "Identity › Tone");
        await Expect(page.GetByTestId("version-diff")).ToContainTextAsync(formal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-config-versions-{culture}.png"), FullPage = true });

        // Restore version 1: a third version, equal to the first, takes effect.
        await page.GetByTestId("version-restore").Nth(1).ClickAsync();
        await page.Locator(".mud-dialog .mud-button-root").Last.ClickAsync();
        await Expect(page.GetByTestId("version-row")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("version-row").First).ToContainTextAsync("3");

        await OpenAsync(page, "/agent-config/sandbox");
        await BrowserFixture.Field(page, "sandbox-text").FillAsync("where is my order?");
        await page.GetByTestId("sandbox-compare").ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = "2" }).First.ClickAsync();
        // The choice reaches the server before the run: under load a click on "run" could overtake it.
        await Expect(page.GetByTestId("sandbox-compare")).ToContainTextAsync("2");
        await page.GetByTestId("sandbox-run").ClickAsync();
        await Expect(page.GetByTestId("sandbox-reply")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("sandbox-reply").Nth(0)).ToContainTextAsync("[tone: warm and concise]");
        await Expect(page.GetByTestId("sandbox-reply").Nth(1)).ToContainTextAsync("[tone: formal and precise]");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-config-sandbox-{culture}.png"), FullPage = true });
    }

    [Fact]
    public async Task Two_admins_saving_at_once_the_second_sees_the_difference_and_decides()
    {
        var first = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "en", "/agent-config", 1400, 1000);
        var second = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "en", "/agent-config", 1400, 1000);

        await first.GetByTestId("config-tone-preset").ClickAsync();
        await first.GetByRole(AriaRole.Option).Filter(new() { HasText = "Friendly and casual" }).ClickAsync();
        await BrowserFixture.Field(second, "config-assistant-name").FillAsync("Bea");
        await first.GetByTestId("config-save").ClickAsync();
        await Expect(first.GetByTestId("config-live-version")).ToHaveTextAsync("Version 2 in force");

        await second.GetByTestId("config-save").ClickAsync();
        await Expect(second.GetByTestId("config-conflict")).ToContainTextAsync("version 2");
        await Expect(second.GetByTestId("diff-changed")).ToHaveCountAsync(2); // their tone, my name
        await second.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-config-conflict-en.png"), FullPage = true });
        await second.GetByTestId("config-save-over").ClickAsync();
        await Expect(second.GetByTestId("config-live-version")).ToHaveTextAsync("Version 3 in force");

        await second.GetByText("Intents", new() { Exact = true }).ClickAsync();
        await Expect(second.GetByTestId("config-intent")).ToHaveCountAsync(27);
        await second.GetByTestId("config-intent").First.ClickAsync();
        await second.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-config-intents-en.png"), FullPage = true });
        await second.GetByText("Guardrails", new() { Exact = true }).ClickAsync();
        await Expect(second.GetByTestId("config-guardrail-class")).ToHaveCountAsync(HitlConsole.Features.AgentConfig.AgentConfigDocument.ReplyClasses.Length); // seven classes and the workspace topics
        await second.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-config-guardrails-en.png"), FullPage = true });
    }

    [Theory]
    [InlineData("en", "Thresholds")]
    [InlineData("es", "Umbrales")]
    public async Task An_invalid_threshold_is_marked_on_its_field_and_leaving_with_unsaved_edits_asks_first(string culture, string thresholds)
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/agent-config", 1400, 1000);
        await page.GetByRole(AriaRole.Tab, new() { Name = thresholds }).ClickAsync();
        var autoSend = BrowserFixture.Field(page, "config-auto-send");
        await autoSend.FillAsync("150");
        await autoSend.PressAsync("Tab");
        await Expect(page.GetByTestId("config-state")).ToContainTextAsync("1");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-config-invalid-{culture}.png"), FullPage = true });
        var field = page.Locator(".mud-input-control").Filter(new() { Has = autoSend });
        await Expect(field.Locator(".mud-input-helper-text.mud-input-error")).ToBeVisibleAsync();
        await Expect(field).ToContainTextAsync("100");
        await autoSend.FillAsync("90");
        await autoSend.PressAsync("Tab");
        await Expect(field.Locator(".mud-input-helper-text.mud-input-error")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("config-save")).ToBeEnabledAsync();

        // Review above auto-send marks the review field, and fixing auto-send clears it.
        var review = BrowserFixture.Field(page, "config-review");
        await review.FillAsync("95");
        await review.PressAsync("Tab");
        var reviewField = page.Locator(".mud-input-control").Filter(new() { Has = review });
        await Expect(reviewField.Locator(".mud-input-helper-text.mud-input-error")).ToBeVisibleAsync();
        await autoSend.FillAsync("99");
        await autoSend.PressAsync("Tab");
        await Expect(reviewField.Locator(".mud-input-helper-text.mud-input-error")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("config-save")).ToBeEnabledAsync();

        // Unsaved edits: going elsewhere in the app asks first (staying keeps the edits), and so does closing the tab.
        await page.GetByTestId("agent-config-versions").ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync(culture == "es" ? "¿Salir sin guardar?" : "Leave without saving?");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-config-leave-{culture}.png") });
        await page.Locator(".mud-dialog .mud-button-root").First.ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Expect(page).ToHaveURLAsync(new Regex("/agent-config$"));
        await Expect(autoSend).ToHaveValueAsync("99");
        string? asked = null;
        // Noted once dismissed: closing the browser context while the dismissal was still in flight crashed Chromium once.
        page.Dialog += async (_, dialog) => { await dialog.DismissAsync(); asked = dialog.Type; };
        await page.CloseAsync(new() { RunBeforeUnload = true });
        for (var i = 0; i < 50 && asked is null; i++) await Task.Delay(100);
        Assert.Equal("beforeunload", asked);
        await page.CloseAsync(); // the person leaves after all
    }

    [Fact]
    public async Task An_admin_sets_whatsapp_secrets_that_are_never_shown_again()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/agent-config/channels", 1400, 1000);
        await Expect(page.GetByTestId("channel-webhook-url")).ToContainTextAsync("/webhooks/whatsapp");
        await BrowserFixture.Field(page, "channel-access-token").FillAsync("EAAG-browser-token-c0ffee");
        await BrowserFixture.Field(page, "channel-app-secret").FillAsync("browser-app-secret-1234");
        await page.GetByTestId("channel-save").ClickAsync();
        await Expect(page.GetByTestId("channel-whatsapp")).ToContainTextAsync("termina en …ffee");
        Assert.DoesNotContain("browser-token", await page.ContentAsync());
        Assert.DoesNotContain("browser-app-secret", await page.ContentAsync());

        await page.GetByTestId("channel-sim-regenerate").ClickAsync();
        await page.Locator(".mud-dialog .mud-button-root").Last.ClickAsync();
        await Expect(page.GetByTestId("channel-sim-new-key")).ToContainTextAsync("sim_");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-channels-es.png"), FullPage = true });
    }
}
