using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>Real Kestrel, real Chromium: each demo user signs in, sees their navigation, and switches to Spanish.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShellJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: false)
{
    private Task<IPage> SignInAsync(string email, string password = HitlAppFactory.DemoPassword) =>
        Browser.SignInAsync(Url, email, password);

    public static TheoryData<string, string[], string[]> Users => new()
    {
        { DemoUsers.Agent, ["nav-home", "nav-inbox"], ["nav-analytics", "nav-knowledge", "nav-agent-config", "nav-users"] },
        { DemoUsers.Manager, ["nav-home", "nav-analytics"], ["nav-inbox", "nav-knowledge", "nav-agent-config", "nav-users"] },
        { DemoUsers.Admin, ["nav-home", "nav-inbox", "nav-analytics", "nav-knowledge", "nav-agent-config", "nav-users", "nav-jobs"], [] },
    };

    [Theory, MemberData(nameof(Users))]
    public async Task A_demo_user_signs_in_sees_their_navigation_and_switches_to_spanish(string email, string[] shown, string[] hidden)
    {
        // Through the sign-in form, as a person does (the other journeys sign in over HTTP and hand the browser the cookies).
        var page = await Browser.SignInThroughFormAsync(Url, email, HitlAppFactory.DemoPassword);
        foreach (var id in shown) await Expect(page.GetByTestId(id)).ToBeVisibleAsync();
        foreach (var id in hidden) await Expect(page.GetByTestId(id)).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("home-workspace")).ToHaveTextAsync("Demo Support");
        await page.ScreenshotAsync(new() { Path = Shot(email, "en") });

        // Its name for a screen reader carries the code the button shows.
        await Expect(page.GetByTestId("culture-switch")).ToHaveAttributeAsync("aria-label", "Language: EN");
        await page.GetByTestId("culture-switch").ClickAsync();
        await page.GetByTestId("culture-es").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.GetByTestId("culture-switch")).ToHaveAttributeAsync("aria-label", "Idioma: ES");
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("nav-home")).ToContainTextAsync("Inicio");
        await Expect(page.GetByText("Lo que te espera y cómo va el día")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot(email, "es") });
        // Every Spanish menu entry on one line ("Configuración del agente", "Tareas en segundo plano" are the longest).
        var twoLines = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.mud-nav-link-text')]
                .filter(t => t.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(t).lineHeight))
                .map(t => t.innerText)
            """);
        Assert.Empty(twoLines);
    }

    [Theory]
    [InlineData("en", "Your queue", "Today so far"), InlineData("es", "Tu cola", "Hoy, hasta ahora")]
    public async Task An_agent_starts_from_their_queue_and_a_manager_from_their_day(string culture, string queue, string today)
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        var now = DateTime.UtcNow;
        await WaitingConversations.SeedAsync(App.Services, tenant, 7, now.AddMinutes(-2), TimeSpan.FromMinutes(1), namePrefix: "Waiting");
        var stopped = await WaitingConversations.SeedAsync(App.Services, tenant, 1, now.AddMinutes(-1), TimeSpan.Zero, state: Domain.DraftState.Blocked, namePrefix: "Stopped");

        var agent = await Browser.SignInThroughFormAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/", 390, 844);
        await Expect(agent.GetByText(queue, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(agent.GetByTestId("home-queue-pending-value")).ToHaveTextAsync("7");
        await Expect(agent.GetByTestId("home-queue-blocked-value")).ToHaveTextAsync("1");
        // Five rows, the most urgent first (the oldest wait); the rest are one click away.
        await Expect(agent.GetByTestId("home-queue").Locator("a.hitl-row")).ToHaveCountAsync(5);
        await Expect(agent.GetByTestId("home-queue").Locator("a.hitl-row").First).ToContainTextAsync("Waiting 0006");
        await Expect(agent.GetByTestId("home-today")).ToHaveCountAsync(0);
        await agent.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"home-agent-{culture}-phone.png") });
        // The app bar has room for the account icon only: its menu says who is signed in.
        await agent.GetByTestId("user-menu").ClickAsync();
        await Expect(agent.GetByTestId("user-menu-name")).ToHaveTextAsync("Alex Agent");
        await Expect(agent.GetByTestId("user-menu-name")).ToBeInViewportAsync(new() { Ratio = 1 });
        // Signing out reads like the menu's other items: not in capitals, the same size and weight, its words in line with theirs.
        var looks = await agent.EvaluateAsync<string[]>("""
            () => ['profile', 'logout'].map(id => {
                const item = document.querySelector(`[data-testid=${id}]`);
                const words = [item, ...item.querySelectorAll('*')].find(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
                const s = getComputedStyle(words);
                return `${s.textTransform}|${s.fontSize}|${s.fontWeight}|${Math.round(words.getBoundingClientRect().left)}`; })
            """);
        Assert.Equal(looks[0], looks[1]);
        Assert.StartsWith("none|", looks[1]);
        await agent.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"user-menu-agent-{culture}-phone.png") });
        await agent.Keyboard.PressAsync("Escape");
        await agent.GetByTestId("home-queue").Locator("a.hitl-row").First.ClickAsync();
        await Expect(agent.GetByTestId("draft-panel")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        // A customer held for self-harm is not in the review lane, yet heads the home list, marked as a person at risk.
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            await db.Drafts.IgnoreQueryFilters().Where(d => d.ConversationId == stopped[0].ConversationId)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.StateReason, nameof(global::HitlConsole.Features.Ai.GuardrailClass.SelfHarm)));
        await agent.GotoAsync(Url + "/");
        var first = agent.GetByTestId("home-queue").Locator("a.hitl-row").First;
        await Expect(first).ToContainTextAsync("Stopped 0000");
        await Expect(first.GetByTestId("conversation-danger")).ToHaveTextAsync(culture == "es" ? "Persona en riesgo" : "Person at risk");
        await Expect(agent.GetByTestId("home-queue").Locator("a.hitl-row")).ToHaveCountAsync(6);
        await agent.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"home-agent-danger-{culture}-phone.png") });

        var manager = await Browser.SignInAsync(Url, DemoUsers.Manager, HitlAppFactory.DemoPassword, culture, "/", 1280, 800);
        await Expect(manager.GetByText(today, new() { Exact = true })).ToBeVisibleAsync();
        // Today is the workspace's (UTC for the demo): run just after midnight, the customers seeded minutes ago wrote yesterday.
        var writtenToday = Enumerable.Range(0, 7).Select(i => now.AddMinutes(-2 - i)).Append(now.AddMinutes(-1)).Count(t => t.Date == DateTime.UtcNow.Date);
        await Expect(manager.GetByTestId("home-today-inbound-value")).ToHaveTextAsync(writtenToday.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(manager.GetByTestId("home-today-waiting-value")).ToHaveTextAsync("8");
        await Expect(manager.GetByTestId("home-queue")).ToHaveCountAsync(0);
        await manager.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"home-manager-{culture}.png") });
    }

    [Fact]
    public async Task Every_main_page_works_under_the_content_security_policy()
    {
        var page = await SignInAsync(DemoUsers.Admin);
        var refused = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) refused.Add(m.Text); };
        foreach (var (path, ready) in new[] { ("/inbox", "inbox-search"), ("/analytics", "analytics-range"), ("/knowledge", "kb-search"), ("/agent-config", "config-save"), ("/simulator", "sim-text") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
            await Expect(page.GetByTestId(ready).First).ToBeAttachedAsync();
        }
        Assert.Empty(refused);
    }

    [Fact]
    public async Task Every_control_on_the_main_pages_has_a_name_a_screen_reader_can_read()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/", 1280, 800);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var unnamed = new List<string>();
        string[] controls = ["textbox", "searchbox", "combobox", "button", "checkbox", "switch", "spinbutton", "link"];
        foreach (var path in new[] { "/inbox", "/simulator", "/knowledge", "/agent-config", "/agent-config/versions", "/agent-config/sandbox", "/analytics", "/admin/users", "/admin/audit", "/platform/workspaces" })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var tree = await cdp.SendAsync("Accessibility.getFullAXTree");
            foreach (var node in tree!.Value.GetProperty("nodes").EnumerateArray())
            {
                if (node.TryGetProperty("ignored", out var ignored) && ignored.GetBoolean()) continue;
                var role = node.TryGetProperty("role", out var r) ? r.GetProperty("value").GetString() : null;
                var name = node.TryGetProperty("name", out var n) && n.TryGetProperty("value", out var v) ? v.GetString() : null;
                if (controls.Contains(role) && string.IsNullOrWhiteSpace(name)) unnamed.Add($"{path}: a {role} (DOM node {node.GetProperty("backendDOMNodeId")})");
            }
        }
        Assert.True(unnamed.Count == 0, "Controls without an accessible name:\n" + string.Join("\n", unnamed));
    }

    [Fact]
    public async Task A_narrow_date_field_opens_a_calendar_with_the_whole_week_and_both_month_arrows()
    {
        var page = await SignInAsync(DemoUsers.Admin);
        await page.GotoAsync("/admin/audit");
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await page.Locator(".hitl-date-field button").First.ClickAsync();

        var calendar = page.Locator(".mud-popover-open .mud-picker-popover-paper");
        await Expect(calendar).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "audit-date-picker.png") });
        // The field is 170 px wide; its calendar was too, and showed Sunday to Wednesday with no way to the next month.
        Assert.True((await calendar.BoundingBoxAsync())!.Width > 280);
        var days = await calendar.EvaluateAsync<double[]>(
            "paper => [...paper.querySelectorAll('.mud-picker-calendar-header-day .mud-day-label')].map(d => d.getBoundingClientRect().right)");
        Assert.Equal(7, days.Length);
        var edge = (await calendar.BoundingBoxAsync())!;
        Assert.All(days, right => Assert.True(right <= edge.X + edge.Width + 1, $"a weekday ends at {right}, the calendar at {edge.X + edge.Width}"));
    }

    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_sign_in()
    {
        var page = await SignInAsync(DemoUsers.Admin);
        await page.GetByTestId("nav-users").ClickAsync();
        await Expect(page.GetByTestId("user-row")).ToHaveCountAsync(3);

        await page.GetByTestId("user-create").ClickAsync();
        await Input(page, "new-user-name").FillAsync("Nora New");
        await Input(page, "new-user-email").FillAsync("nora@demo.local");
        await Input(page, "new-user-password").FillAsync("NoraPass2026x");
        await page.ScreenshotAsync(new() { Path = Shot("admin", "create-user") });
        await page.GetByTestId("new-user-save").ClickAsync();

        await Expect(page.GetByTestId("user-row")).ToHaveCountAsync(4);
        await Expect(page.GetByText("nora@demo.local")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("admin", "users") });

        var nora = await SignInAsync("nora@demo.local", "NoraPass2026x");
        await Expect(nora.GetByTestId("nav-inbox")).ToBeVisibleAsync(); // new users default to Agent
        await Expect(nora.GetByTestId("nav-users")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_neutral_message_and_signing_out_returns_to_sign_in()
    {
        var context = await Browser.Browser.NewContextAsync(new() { BaseURL = Url });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-email").FillAsync(DemoUsers.Agent);
        await page.GetByTestId("login-password").FillAsync("wrong-password");
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("login", "error") });

        var signedIn = await SignInAsync(DemoUsers.Agent);
        await signedIn.GetByTestId("user-menu").ClickAsync();
        await signedIn.GetByTestId("logout").ClickAsync();
        await Expect(signedIn).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await signedIn.GotoAsync("/inbox");
        await Expect(signedIn).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }

    [Fact]
    public async Task The_knowledge_grid_pages_and_searches_the_demo_entries()
    {
        var page = await SignInAsync(DemoUsers.Admin);
        await page.GetByTestId("nav-knowledge").ClickAsync();
        var grid = page.GetByTestId("kb-grid");
        await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(25);
        await Input(page, "kb-search").FillAsync("refund");
        await Expect(grid.Locator("tbody tr").First).ToContainTextAsync("refund", new() { IgnoreCase = true });
        await page.ScreenshotAsync(new() { Path = Shot("admin", "knowledge") });
    }

    [Fact]
    public async Task Dark_mode_switches_and_survives_a_reload()
    {
        var page = await SignInAsync(DemoUsers.Manager);
        const string background = "getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim()";
        var light = await page.EvaluateAsync<string>(background);

        await page.GetByTestId("theme-toggle").ClickAsync();
        // A function, not an expression: Playwright evaluates a bare string with eval, which the console's CSP refuses.
        await page.WaitForFunctionAsync($"before => {background} !== before", light);
        var dark = await page.EvaluateAsync<string>(background);
        await page.ScreenshotAsync(new() { Path = Shot("manager", "dark") });

        await page.ReloadAsync();
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await page.WaitForFunctionAsync($"expected => {background} === expected", dark);

        // The password page is rendered on the server alone (no circuit to ask the browser): it is dark too, from its first paint.
        await page.GotoAsync(Url + "/account/password");
        await Expect(page.GetByTestId("password-page")).ToBeVisibleAsync();
        Assert.Equal(dark, await page.EvaluateAsync<string>(background));
        // A filled button's label stays readable on the dark palette's light blue (white on it was 2.4:1).
        Assert.InRange(await BrowserFixture.TextContrastAsync(page.GetByTestId("password-submit")), 4.5, 21);
        await page.ScreenshotAsync(new() { Path = Shot("manager", "password-dark") });
    }

    [Fact]
    public async Task A_lost_connection_shows_the_reconnect_overlay_in_the_users_language()
    {
        var page = await SignInAsync(DemoUsers.Agent);
        await page.GetByTestId("culture-switch").ClickAsync();
        await page.GetByTestId("culture-es").ClickAsync();
        // The switch reloads the page: wait for the Spanish page's own circuit, not the old page's marker.
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.GetByTestId("nav-home")).ToContainTextAsync("Inicio");
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });

        await App.DisposeAsync(); // the server goes away under the open circuit

        var overlay = page.Locator("#components-reconnect-modal");
        await Expect(overlay).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("components-reconnect-(show|retrying|failed)"), new() { Timeout = 20_000 });
        await Expect(overlay).ToContainTextAsync("Reconectando");
        await Expect(overlay).ToContainTextAsync("Tu trabajo abierto se mantiene");
        await page.ScreenshotAsync(new() { Path = Shot("agent", "reconnect-es") });
    }

    /// <summary>MudBlazor puts a field's data-testid on the input or on its wrapper, depending on the component.</summary>
    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    private static string Shot(string who, string what) =>
        Path.Combine(BrowserFixture.ScreenshotFolder, $"{who.Split('@')[0]}-{what}.png");
}
