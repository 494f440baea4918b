using HitlConsole.Domain;
using HitlConsole.Features.Platform;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>Real Kestrel, real Chromium: the platform operator creates a workspace, its first Admin starts there, people switch.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkspacesJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: false)
{
    [Fact]
    public async Task The_operator_creates_a_workspace_whose_first_admin_sets_a_password_and_works_there()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword);
        await page.GetByTestId("nav-workspaces").ClickAsync();
        await Expect(page.GetByTestId("workspace-row")).ToHaveCountAsync(1);

        await page.GetByTestId("workspace-create").ClickAsync();
        // Sent empty: the console says what is missing under each field, in its language, not the browser's bubble.
        await page.GetByTestId("new-workspace-save").ClickAsync();
        await Expect(page.Locator(".mud-dialog .mud-input-error").First).ToBeVisibleAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('.mud-dialog input')].filter(i => i.required).length"));
        await BrowserFixture.Field(page, "new-workspace-name").FillAsync("Tienda Norte");
        await BrowserFixture.Field(page, "new-workspace-admin-name").FillAsync("Ana Norte");
        await BrowserFixture.Field(page, "new-workspace-admin-email").FillAsync("ana@norte.test");
        await page.GetByTestId("new-workspace-save").ClickAsync();
        var passwordField = BrowserFixture.Field(page, "workspace-initial-password");
        await Expect(passwordField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^[A-Za-z0-9]{16}$"));
        var initial = await passwordField.InputValueAsync();
        await page.ScreenshotAsync(new() { Path = Shot("operator-created-workspace") });
        await page.GetByTestId("new-workspace-done").ClickAsync();
        await Expect(page.GetByTestId("workspace-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("platform-audit-row").First).ToContainTextAsync("Tienda Norte");
        await page.ScreenshotAsync(new() { Path = Shot("operator-workspaces") });

        // The same name again is refused inside the dialog, with what was typed kept.
        await page.GetByTestId("workspace-create").ClickAsync();
        await BrowserFixture.Field(page, "new-workspace-name").FillAsync("Tienda Norte");
        await BrowserFixture.Field(page, "new-workspace-admin-name").FillAsync("Otro");
        await BrowserFixture.Field(page, "new-workspace-admin-email").FillAsync("otro@norte.test");
        await page.GetByTestId("new-workspace-save").ClickAsync();
        await Expect(page.GetByTestId("workspace-error")).ToBeVisibleAsync();
        await Expect(BrowserFixture.Field(page, "new-workspace-admin-email")).ToHaveValueAsync("otro@norte.test");

        var context = await Browser.Browser.NewContextAsync(new() { BaseURL = Url });
        var ana = await context.NewPageAsync();
        await ana.GotoAsync("/account/login");
        await ana.GetByTestId("login-email").FillAsync("ana@norte.test");
        await ana.GetByTestId("login-password").FillAsync(initial);
        await ana.GetByTestId("login-submit").ClickAsync();
        await Expect(ana).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/password"));
        // In the console's app bar, with what this session may use before the new password: the language and signing out.
        await Expect(ana.Locator(".mud-appbar")).ToBeVisibleAsync();
        await Expect(ana.GetByTestId("logout")).ToBeVisibleAsync();
        await Expect(ana.GetByTestId("culture-switch")).ToBeVisibleAsync();
        await Expect(ana.GetByTestId("nav-home")).ToHaveCountAsync(0);
        await ana.GetByTestId("password-current").FillAsync(initial);
        await ana.GetByTestId("password-new").FillAsync("AnaOwnPass2026");
        await ana.GetByTestId("password-confirm").FillAsync("AnaOwnPass2026");
        await ana.ScreenshotAsync(new() { Path = Shot("first-admin-password") });
        await ana.GetByTestId("password-submit").ClickAsync();
        await Expect(ana.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(ana.GetByTestId("workspace-switch")).ToContainTextAsync("Tienda Norte");
        await Expect(ana.GetByTestId("home-workspace")).ToHaveTextAsync("Tienda Norte");
        await Expect(ana.GetByTestId("nav-users")).ToBeVisibleAsync();
        await Expect(ana.GetByTestId("nav-workspaces")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_person_in_two_workspaces_switches_from_the_app_bar_on_a_phone_in_spanish()
    {
        var demo = await App.Services.DemoTenantIdAsync();
        var actor = new PlatformActor(await App.Services.UserIdAsync(demo, DemoUsers.Admin), DemoUsers.Admin);
        var manage = App.Services.GetRequiredService<ManageWorkspaces>();
        await manage.CreateAsync(new ManageWorkspaces.NewWorkspace
        {
            Name = "Tienda Norte", Culture = "es", TimeZone = "Europe/Madrid", AdminEmail = DemoUsers.Agent, AdminName = "Agente",
        }, actor, default);

        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture: "es", width: 390, height: 844);
        await Expect(page.GetByTestId("workspace-switch")).ToContainTextAsync("Demo Support");
        await page.GetByTestId("workspace-switch").ClickAsync();
        await Expect(page.GetByTestId("workspace-option")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("workspace-option").Last).ToContainTextAsync("Tienda Norte · Administrador");
        await page.ScreenshotAsync(new() { Path = Shot("switch-menu-es-phone") });

        await page.GetByTestId("workspace-option").Filter(new() { HasText = "Tienda Norte" }).ClickAsync();
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("workspace-switch")).ToContainTextAsync("Tienda Norte");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.GetByTestId("home-workspace")).ToHaveTextAsync("Tienda Norte");
        await page.ScreenshotAsync(new() { Path = Shot("switched-es-phone") });
    }

    [Fact]
    public async Task The_operator_gives_a_set_aside_whatsapp_delivery_back_to_the_reader_in_spanish_on_a_phone()
    {
        await Features.Pipeline.SetAsideDeliveriesTests.SetAsideAsync(App,
            WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.ASIDE.UI", "¿Y mi pedido?")]));

        // Signed in straight onto the page, so the click waits for its live circuit, not the prerendered button.
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture: "es", path: "/platform/workspaces",
            width: 390, height: 844);
        await Expect(page.GetByTestId("deliveries-set-aside-count")).ToContainTextAsync("1 entrega no se pudo leer");
        await Expect(page.GetByTestId("delivery-set-aside-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("deliveries-set-aside")).ToContainTextAsync("Demo Support");
        await Expect(page.GetByTestId("deliveries-set-aside")).ToContainTextAsync("1 mensaje, 0 estados");
        await page.ScreenshotAsync(new() { Path = Shot("deliveries-set-aside-es-phone"), FullPage = true });

        await page.GetByTestId("delivery-read-again").ClickAsync();
        await Expect(page.GetByTestId("deliveries-set-aside-none")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("platform-audit-row").First).ToContainTextAsync("Entregas leídas de nuevo");
        await Eventually.GetAsync(async () =>
        {
            await using var scope = App.Services.CreateAsyncScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.ExternalId == "wamid.ASIDE.UI") ? "stored" : null;
        }, 30, "the delivery read into its conversation");
    }

    private static string Shot(string what) => Path.Combine(BrowserFixture.ScreenshotFolder, $"workspaces-{what}.png");
}
