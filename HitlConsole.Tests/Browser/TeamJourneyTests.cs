using System.Net.Http.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox.Teams;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>Working as a team: an Admin hands a conversation to an agent, who sees it live; a note that mentions them alerts them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TeamJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: true)
{
    private Task<IPage> SignInAsync(string email, string culture, IEnumerable<string>? permissions = null) =>
        Browser.SignInAsync(Url, email, HitlAppFactory.DemoPassword, culture, "/inbox", 1400, 860, permissions);

    private static ILocator Header(IPage page) => page.Locator(".hitl-inbox-detail").GetByTestId("conversation-assignee");
    private static ILocator RowAssignee(IPage page) => page.GetByTestId("conversation-row").GetByTestId("conversation-assignee");

    [Fact]
    public async Task An_admin_assigns_a_conversation_to_an_agent_live_and_a_note_with_a_mention_alerts_the_agent()
    {
        var alex = await SignInAsync(DemoUsers.Agent, "es");
        var ada = await SignInAsync(DemoUsers.Admin, "en");
        using (var http = new HttpClient { BaseAddress = new Uri(Url) })
        {
            http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
            (await http.PostAsJsonAsync(SimulatorApi.Path, new { from = "+34600111888", name = "Lucía", text = "I want to cancel my order, how can I do it?" }))
                .EnsureSuccessStatusCode();
        }
        // The row shows once its draft exists; the app's first draft also loads the models.
        await Expect(alex.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 45_000 });
        await Expect(RowAssignee(alex)).ToHaveTextAsync("Sin asignar");

        // Alex says he is away for a moment; the team sees it, then he is back.
        await Expect(alex.GetByTestId("agent-status")).ToHaveAttributeAsync("data-status", "available");
        await alex.GetByTestId("agent-status").ClickAsync();
        await Expect(alex.GetByTestId("agent-status")).ToHaveAttributeAsync("data-status", "away");
        await Expect(ada.GetByTestId("presence-user").Filter(new() { HasText = "Alex Agent" })).ToHaveAttributeAsync("data-status", "away", new() { Timeout = 10_000 });
        await alex.GetByTestId("agent-status").ClickAsync();
        await Expect(ada.GetByTestId("presence-user").Filter(new() { HasText = "Alex Agent" })).ToHaveAttributeAsync("data-status", "available", new() { Timeout = 10_000 });

        // Ada opens it (a look assigns nobody) and hands it to Alex; Alex's list follows without a refresh.
        await ada.GetByTestId("conversation-row").ClickAsync();
        await Expect(ada.GetByTestId("draft-editor").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(Header(ada)).ToContainTextAsync("Unassigned");
        await Header(ada).ClickAsync();
        await ada.GetByTestId("assignee-option").Filter(new() { HasText = "Alex Agent" }).ClickAsync();
        await Expect(Header(ada)).ToContainTextAsync("Alex Agent", new() { Timeout = 10_000 });
        await Expect(RowAssignee(alex)).ToContainTextAsync("Alex Agent", new() { Timeout = 10_000 });
        await Expect(alex.GetByText("Ada Admin te ha asignado una conversación.")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await ada.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-assigns-en.png") });

        // An internal note for Alex: it stands apart in Ada's timeline, and Alex gets a mention alert live.
        await ada.Locator("textarea[data-testid=note-text]").FillAsync("VIP customer: @alex please check the refund first.");
        await ada.GetByTestId("note-add").ClickAsync();
        await Expect(ada.GetByTestId("message-note")).ToContainTextAsync("@alex please check the refund first", new() { Timeout = 10_000 });
        await Expect(ada.GetByTestId("message-note")).ToContainTextAsync("not sent to the customer");
        await Expect(alex.GetByTestId("nav-mentions")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        await Expect(alex.GetByText("Ada Admin te ha mencionado en una nota sobre Lucía.")).ToBeVisibleAsync();
        await alex.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-mentioned-es.png") });

        // Alex opens the conversation: the note is there, the alert goes, and the customer never got it.
        await alex.GetByTestId("conversation-row").ClickAsync();
        await Expect(alex.GetByTestId("message-note")).ToContainTextAsync("Nota de Ada Admin", new() { Timeout = 10_000 });
        await Expect(Header(alex)).ToContainTextAsync("Alex Agent");
        await Expect(alex.GetByTestId("nav-mentions")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(alex.GetByTestId("message-bubble")).ToHaveCountAsync(1);
        await alex.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-note-es.png") });

        // The customer at a glance; a label Alex adds shows on Ada's screen too.
        await Expect(alex.GetByTestId("contact-panel")).ToContainTextAsync("+34600111888");
        await Expect(alex.GetByTestId("contact-name")).ToHaveTextAsync("Lucía");
        await alex.Locator("input[data-testid=label-input]").FillAsync("VIP");
        await alex.Locator("input[data-testid=label-input]").PressAsync("Enter");
        await Expect(alex.GetByTestId("conversation-label")).ToHaveTextAsync("vip", new() { Timeout = 10_000 });
        await Expect(ada.GetByTestId("conversation-label")).ToHaveTextAsync("vip", new() { Timeout = 10_000 });

        // A filtered view is a URL: shared with a colleague, it opens the same list.
        await alex.GetByTestId("inbox-filter-all").ClickAsync();
        await alex.GetByTestId("inbox-filters-toggle").ClickAsync();
        await alex.Locator("input[data-testid=filter-label]").FillAsync("vip");
        await alex.Locator("input[data-testid=filter-label]").PressAsync("Tab");
        await Expect(alex).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("lane=all.*label=vip"), new() { Timeout = 10_000 });
        var shared = alex.Url;
        await ada.GotoAsync(shared);
        await Expect(ada.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(1);
        await Expect(ada.GetByTestId("inbox-filters-toggle")).ToContainTextAsync("(1)");
        await ada.GotoAsync(shared.Replace("label=vip", "label=other"));
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await ada.GotoAsync(shared);
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 10_000 });

        // Alex lets it go; Ada sees it unassigned. Ada's page has just loaded: wait until it shows the conversation as it is,
        // and until Alex's own page confirms the change, before judging what reached Ada live.
        await Expect(Header(ada)).ToContainTextAsync("Alex Agent", new() { Timeout = 10_000 });
        await Header(alex).ClickAsync();
        await alex.GetByTestId("assignee-none").ClickAsync();
        await Expect(Header(alex)).ToContainTextAsync("Sin asignar", new() { Timeout = 10_000 }); // Alex works in Spanish
        await Expect(Header(ada)).ToContainTextAsync("Unassigned", new() { Timeout = 20_000 });
    }

    [Theory]
    [InlineData("es", "Español")]
    [InlineData("en", "English")]
    public async Task A_new_saved_reply_is_in_the_language_the_person_works_in(string culture, string language)
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/admin/saved-replies", 1400, 860);
        await page.GetByTestId("saved-reply-add").ClickAsync();
        // The select shows the language by name or by its code, depending on how it renders the chosen item.
        await Expect(page.GetByTestId("saved-reply-language")).ToContainTextAsync(new System.Text.RegularExpressions.Regex($@"{language}|\b{culture}\b"));
    }

    [Fact]
    public async Task An_admin_saves_a_reply_and_an_agent_inserts_it_with_slash_by_keyboard_and_undoes_it()
    {
        var ada = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "en", "/admin/saved-replies", 1400, 860);
        await ada.GetByTestId("saved-reply-add").ClickAsync();
        await ada.Locator("input[data-testid=saved-reply-shortcut]").FillAsync("Envio");
        // Shortcuts are saved in lower case: the form says so before saving instead of changing it silently.
        await Expect(ada.GetByTestId("saved-reply-form")).ToContainTextAsync("Saved as /envio");
        await ada.GetByTestId("saved-reply-language").ClickAsync();
        await ada.GetByRole(AriaRole.Option, new() { Name = "Spanish" }).Or(ada.GetByRole(AriaRole.Option, new() { Name = "Español" })).First.ClickAsync();
        await ada.Locator("textarea[data-testid=saved-reply-text]").FillAsync("Hola {{customer_name}}, tu pedido llega en 2-3 días laborables.");
        await ada.GetByTestId("saved-reply-save").ClickAsync();
        await Expect(ada.GetByTestId("saved-reply-row")).ToHaveTextAsync("/envio", new() { Timeout = 10_000 });

        var alex = await SignInAsync(DemoUsers.Agent, "es");
        using (var http = new HttpClient { BaseAddress = new Uri(Url) })
        {
            http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
            (await http.PostAsJsonAsync(SimulatorApi.Path, new { from = "+34600111999", name = "Marta", text = "Hola, ¿cuándo llega mi pedido a Sevilla?" }))
                .EnsureSuccessStatusCode();
        }
        await Expect(alex.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await alex.GetByTestId("conversation-row").ClickAsync();
        var editor = alex.Locator("textarea[data-testid=draft-editor]").First;
        await Expect(editor).Not.ToBeEmptyAsync(new() { Timeout = 10_000 });
        var drafted = await editor.InputValueAsync();
        // Why the assistant wrote it, in the agent's language: the built-in model's reasoning line is Spanish here.
        var reasoning = alex.GetByTestId("draft-reasoning");
        await Expect(reasoning).ToContainTextAsync(new System.Text.RegularExpressions.Regex("^(La intención|Nada de la base)"));
        Assert.DoesNotMatch("scored|runner-up|Nothing in the knowledge|matching entries", await reasoning.InnerTextAsync());

        // "/" at the end of the draft, a few letters, the arrow and Enter: the saved reply takes the place of "/env".
        await editor.FocusAsync();
        await alex.Keyboard.PressAsync("Control+End");
        await editor.PressSequentiallyAsync(" /env", new() { Delay = 60 });
        await Expect(alex.GetByTestId("slash-suggestion")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Expect(alex.GetByTestId("slash-suggestion")).ToContainTextAsync("Hola Marta");
        await alex.Keyboard.PressAsync("Enter");
        await Expect(editor).ToHaveValueAsync(drafted + " Hola Marta, tu pedido llega en 2-3 días laborables.", new() { Timeout = 10_000 });
        await Expect(alex.GetByTestId("slash-suggestions")).ToHaveCountAsync(0);
        await alex.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-saved-reply-es.png") });

        // Nothing is lost: undo gives the draft back as it was before the "/" reply went in (the typed "/env" too).
        await alex.GetByTestId("draft-undo").ClickAsync();
        await Expect(editor).ToHaveValueAsync(drafted + " /env");

        // The picker does the same without typing a shortcut.
        await alex.GetByTestId("saved-reply-picker").ClickAsync();
        await alex.Locator("input[data-testid=saved-reply-filter]").FillAsync("pedido");
        await alex.Keyboard.PressAsync("Enter");
        await Expect(editor).ToHaveValueAsync(drafted + " /env\n\nHola Marta, tu pedido llega en 2-3 días laborables.", new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task Round_robin_gives_a_new_conversation_to_the_team_the_agent_hears_of_it_on_the_desktop_and_a_team_view_is_shared_by_url()
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        var (adminId, alexId) = (await App.Services.UserIdAsync(tenant, DemoUsers.Admin), await App.Services.UserIdAsync(tenant, DemoUsers.Agent));
        Guid teamId;
        await using (var scope = App.Services.ForTenant(tenant, adminId))
        {
            var teams = scope.ServiceProvider.GetRequiredService<ManageTeams>();
            teamId = Assert.IsType<ManageTeams.Result.Done>(await teams.CreateAsync("Facturación", default)).Id!.Value;
            Assert.IsType<ManageTeams.Result.Done>(await teams.SetMemberAsync(teamId, alexId, member: true, lead: false, default));
            Assert.IsType<ManageTeams.Result.Done>(await teams.SaveSettingsAsync(new(AutoAssignMode.RoundRobin, 5, teamId), default));
        }

        // Alex opts in to desktop notifications (his browser allows them) and turns to another window.
        var alex = await SignInAsync(DemoUsers.Agent, "es", permissions: ["notifications"]);
        await Expect(alex.GetByTestId("desktop-notifications")).ToHaveAttributeAsync("data-state", "off");
        await alex.GetByTestId("desktop-notifications").ClickAsync();
        await Expect(alex.GetByTestId("desktop-notifications")).ToHaveAttributeAsync("data-state", "on", new() { Timeout = 10_000 });
        await alex.EvaluateAsync("() => { document.hasFocus = () => false; }");

        using (var http = new HttpClient { BaseAddress = new Uri(Url) })
        {
            http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
            (await http.PostAsJsonAsync(SimulatorApi.Path, new { from = "+34600111777", name = "Rocío", text = "Me habéis cobrado dos veces la factura" }))
                .EnsureSuccessStatusCode();
        }
        await Expect(RowAssignee(alex)).ToContainTextAsync("Alex Agent", new() { Timeout = 15_000 });
        await alex.WaitForFunctionAsync("() => (window.hitl.alerts.desktop.shown || []).length > 0", null, new() { Timeout = 10_000 });
        var shown = await alex.EvaluateAsync<string>("() => JSON.stringify(window.hitl.alerts.desktop.shown)");
        Assert.Contains("Se te ha asignado automáticamente una conversación nueva.", shown);
        Assert.Contains("/inbox/", shown);

        // The team's view: picked in the filters, it travels in the URL and opens the same list for a colleague.
        await alex.GetByTestId("inbox-filter-all").ClickAsync();
        await alex.GetByTestId("inbox-filters-toggle").ClickAsync();
        await alex.GetByTestId("filter-team").ClickAsync();
        await alex.GetByRole(AriaRole.Option, new() { Name = "Facturación" }).ClickAsync();
        await Expect(alex).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"team={teamId}"), new() { Timeout = 10_000 });
        await Expect(alex.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await alex.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-team-view-es.png") });
        var ada = await SignInAsync(DemoUsers.Admin, "en");
        await ada.GotoAsync(alex.Url);
        await Expect(ada.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(ada.GetByTestId("conversation-row")).ToContainTextAsync("Rocío", new() { Timeout = 10_000 });
        await Expect(ada.GetByTestId("inbox-filters-toggle")).ToContainTextAsync("(1)");

        // Turned off, the desktop stays quiet.
        await alex.GetByTestId("desktop-notifications").ClickAsync();
        await Expect(alex.GetByTestId("desktop-notifications")).ToHaveAttributeAsync("data-state", "off");
    }
}
