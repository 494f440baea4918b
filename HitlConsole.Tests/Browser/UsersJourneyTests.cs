using HitlConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>The Users page's dialogs keep what was typed when the server refuses it, and say why in the UI language.</summary>
[Collection(BrowserCollection.Name)]
public sealed class UsersJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: false)
{
    [Theory]
    [InlineData("en", "A user with that e-mail already exists.", "The password needs a digit (0–9).", "Required.")]
    [InlineData("es", "Ya existe un usuario con ese correo.", "La contraseña necesita un dígito (0–9).", "Obligatorio.")]
    public async Task A_refused_new_user_stays_in_the_dialog_with_the_reason_in_the_ui_language(string culture, string taken, string digit, string required)
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/admin/users", 1366, 800);
        await page.GotoAsync("/admin/users");
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("user-create").ClickAsync();

        // Empty fields: the data-annotation messages are the UI's, not the framework's English.
        await page.GetByTestId("new-user-save").ClickAsync();
        // A refusal comes back after a password hash on a loaded two-core machine: give the server time.
        var slow = new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 };
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync(required, new() { Timeout = 15_000 });
        await Expect(page.GetByRole(AriaRole.Dialog)).Not.ToContainTextAsync("field is required");

        await Input(page, "new-user-name").FillAsync("Nora Nueva");
        await Input(page, "new-user-email").FillAsync(DemoUsers.Agent); // taken
        await Input(page, "new-user-password").FillAsync("NoraPass2026x");
        // Leaving the field clears the last "required" message and the dialog shrinks; a click aimed before that lands
        // below the moved Save button (seen once under full load). A person clicks where the button is once it settles.
        await Input(page, "new-user-password").BlurAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).Not.ToContainTextAsync(required, new() { Timeout = 15_000 });
        await page.GetByTestId("new-user-save").ClickAsync();
        await Expect(page.GetByTestId("new-user-error")).ToHaveTextAsync(taken, slow);
        await Expect(Input(page, "new-user-name")).ToHaveValueAsync("Nora Nueva");
        await Expect(Input(page, "new-user-password")).ToHaveValueAsync("NoraPass2026x");

        await Input(page, "new-user-email").FillAsync("nora@demo.local");
        await Input(page, "new-user-password").FillAsync("nodigitsHereX");
        // The e-mail it was about has changed: the refusal no longer stands on screen.
        await Expect(page.GetByTestId("new-user-error")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await page.GetByTestId("new-user-save").ClickAsync();
        await Expect(page.GetByTestId("new-user-error")).ToContainTextAsync(digit, new() { Timeout = 15_000 });
        await Expect(Input(page, "new-user-email")).ToHaveValueAsync("nora@demo.local");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-user-refused-{culture}.png") });

        await Input(page, "new-user-password").FillAsync("NoraPass2026x");
        await page.GetByTestId("new-user-save").ClickAsync();
        try { await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0, new() { Timeout = 15_000 }); }
        catch (PlaywrightException)
        {
            // Seen once under heavy load and never reproduced: what the dialog then said is the clue.
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-user-not-saved-{culture}.png") });
            var dialog = await page.GetByRole(AriaRole.Dialog).InnerTextAsync();
            var typed = await Input(page, "new-user-password").InputValueAsync();
            Assert.Fail($"The dialog stayed open with the password field holding {typed.Length} characters; it said: {dialog}");
        }
        await Expect(page.GetByText("nora@demo.local")).ToBeVisibleAsync();
    }

    /// <summary>
    /// What cannot be undone by accident asks first (disabling a person, deleting a team), and a refused change does not stay
    /// on screen as if it had been saved (the only Admin demoting themself).
    /// </summary>
    [Fact]
    public async Task Disabling_a_person_and_deleting_a_team_ask_first_and_a_refused_role_change_shows_the_stored_role()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/admin/users", 1366, 800);
        var ada = page.GetByTestId("user-row").Filter(new() { HasText = "Ada Admin" }).Locator("xpath=..");
        await ada.GetByTestId("user-role").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Agente" }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("El espacio de trabajo necesita al menos un administrador activo.", new() { Timeout = 15_000 });
        await Expect(ada.GetByTestId("user-role")).ToContainTextAsync("Administrador");

        var alex = page.GetByTestId("user-row").Filter(new() { HasText = "Alex Agent" }).Locator("xpath=..");
        await alex.GetByTestId("user-toggle").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("¿Desactivar a Alex Agent?");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancelar" }).ClickAsync();
        await Expect(alex).ToContainTextAsync("Activo");
        await alex.GetByTestId("user-toggle").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Desactivar" }).ClickAsync();
        await Expect(alex).ToContainTextAsync("Desactivado", new() { Timeout = 15_000 });

        await page.GotoAsync("/admin/teams");
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Input(page, "team-name").FillAsync("Facturación");
        await Input(page, "team-name").BlurAsync();
        await page.GetByTestId("team-create").ClickAsync();
        await Expect(page.GetByTestId("team-row")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await page.GetByTestId("team-delete").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("¿Eliminar el equipo «Facturación»?");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancelar" }).ClickAsync();
        await Expect(page.GetByTestId("team-row")).ToHaveCountAsync(1);
        await page.GetByTestId("team-delete").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Eliminar" }).ClickAsync();
        await Expect(page.GetByTestId("team-row")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
    }

    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    [Fact]
    public async Task An_agent_on_a_phone_renames_themselves_and_switches_the_console_to_spanish_from_the_profile()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "en", "/", 390, 844);
        await page.GetByTestId("user-menu").ClickAsync();
        await page.GetByTestId("profile").ClickAsync();
        await Expect(page.GetByTestId("profile-name")).ToHaveValueAsync("Alex Agent", new() { Timeout = 15_000 });
        // A page of the console like any other: its app bar and navigation, and one language control (the form's, which is kept
        // for the next sign-in), not the app bar's too.
        await Expect(page.Locator(".mud-appbar")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("profile-language")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("culture-switch")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("culture-en")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-profile-en-390.png") });
        await page.GetByLabel("Show or hide navigation").ClickAsync();
        await Expect(page.GetByTestId("nav-inbox")).ToBeVisibleAsync();
        await page.Mouse.ClickAsync(370, 600); // beside the drawer, which closes
        await Expect(page.GetByTestId("nav-inbox")).Not.ToBeInViewportAsync();

        await page.GetByTestId("profile-name").FillAsync("Alejandro Agente");
        await page.GetByTestId("profile-language").SelectOptionAsync("es");
        await page.GetByTestId("profile-submit").ClickAsync();
        await Expect(page.GetByTestId("profile-saved")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("h1")).ToHaveTextAsync("Tu perfil");
        await Expect(page.GetByTestId("user-menu")).ToHaveAttributeAsync("aria-label", "Alejandro Agente");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-profile-es-390.png") });

        // The console itself now speaks Spanish and shows the new name.
        await page.GotoAsync("/inbox");
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await page.GetByTestId("user-menu").ClickAsync();
        await Expect(page.GetByTestId("profile")).ToHaveTextAsync("Tu perfil");
    }
    [Theory]
    [InlineData("es", 390, 844, "La contraseña actual no es correcta."), InlineData("en", 1400, 900, "The current password is not correct.")]
    public async Task The_password_page_is_a_page_of_the_console_whose_form_posts_as_before(string culture, int width, int height, string wrongCurrent)
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/", width, height);
        await page.GetByTestId("user-menu").ClickAsync();
        await page.GetByTestId("change-password").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/password$"));

        // The console's app bar, its account menu and its navigation work here as on any page (they were a bare card).
        await Expect(page.Locator(".mud-appbar")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("password-page")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("user-menu").ClickAsync();
        await Expect(page.GetByTestId("user-menu-name")).ToHaveTextAsync("Alex Agent", new() { Timeout = 15_000 });
        await page.Keyboard.PressAsync("Escape");
        if (width < 600) await page.GetByLabel(culture == "es" ? "Mostrar u ocultar la navegación" : "Show or hide navigation").ClickAsync();
        await Expect(page.GetByTestId("nav-inbox")).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"agent-password-{culture}-{width}.png") });
        if (width < 600) await page.Mouse.ClickAsync(370, 600); // beside the drawer, which closes

        // The form posts to the page, which answers in the shell.
        await page.GetByTestId("password-current").FillAsync("NotMyPassword2026");
        await page.GetByTestId("password-new").FillAsync("AlexNewPass2026");
        await page.GetByTestId("password-confirm").FillAsync("AlexNewPass2026");
        await page.GetByTestId("password-submit").ClickAsync();
        await Expect(page.GetByTestId("password-error")).ToHaveTextAsync(wrongCurrent);
        await Expect(page.Locator(".mud-appbar")).ToBeVisibleAsync();
        Assert.Null(await BrowserFixture.SidewaysOverflowAsync(page));

        // A new attempt the browser itself stops (too short) is not answered by the server: the last answer no longer stands.
        await page.GetByTestId("password-current").FillAsync(HitlAppFactory.DemoPassword);
        await page.GetByTestId("password-new").FillAsync("abc");
        await page.GetByTestId("password-confirm").FillAsync("abc");
        await page.GetByTestId("password-submit").ClickAsync();
        await Expect(page.GetByTestId("password-error")).ToBeHiddenAsync();
    }
}
