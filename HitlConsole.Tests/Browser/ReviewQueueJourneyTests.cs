using System.Diagnostics;
using System.Net.Http.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>The review console as an agent uses it: a queue of thousands, stopped drafts, placeholders, a phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReviewQueueJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: true)
{
    private static readonly string Docs = BrowserFixture.DocsScreenshotFolder;

    private async Task CustomerWritesAsync(string from, string name, string text)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Url) };
        http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
        (await http.PostAsJsonAsync(SimulatorApi.Path, new { from, name, text })).EnsureSuccessStatusCode();
    }

    private static ILocator Editor(IPage page) => page.Locator("textarea[data-testid=draft-editor]").First;

    private const string AtBottom =
        "(() => { const t = document.querySelector('[data-testid=timeline]'); return !!t && t.scrollHeight - t.scrollTop - t.clientHeight < 4; })()";

    /// <summary>Polls a page expression (evaluated, not a string predicate: the content security policy forbids eval).</summary>
    private static Task UntilAsync(IPage page, string expression, string what) =>
        Eventually.GetAsync(async () => await page.EvaluateAsync<bool>(expression) ? "yes" : null, what: what);

    private async Task<Guid> TenantAsync() => await App.Services.DemoTenantIdAsync();

    [Theory]
    [InlineData("en", "of"), InlineData("es", "de")]
    public async Task With_2000_conversations_waiting_a_new_one_opens_in_two_actions_and_every_row_is_reachable(string culture, string of)
    {
        var tenant = await TenantAsync();
        await WaitingConversations.SeedAsync(App.Services, tenant, 2000, DateTime.UtcNow.AddMinutes(-1), TimeSpan.FromSeconds(39), ChannelKind.WhatsAppCloud);

        // The list query itself, at this size (the benchmark measures it too).
        await using (var scope = App.Services.ForTenant(tenant, await App.Services.UserIdAsync(tenant, DemoUsers.Agent)))
        {
            var inbox = scope.ServiceProvider.GetRequiredService<GetInbox>();
            await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 0, 30), default);
            var watch = Stopwatch.StartNew();
            var result = await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 10, 30), default);
            Assert.Equal(2000, result.Total);
            Assert.True(watch.ElapsedMilliseconds < 1000, $"list query {watch.ElapsedMilliseconds} ms"); // loose here; the goal (< 100 ms) is the benchmark's
        }

        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/inbox", 1366, 768);
        await Expect(page.GetByTestId("conversation-row")).ToHaveCountAsync(30);
        await Expect(page.GetByTestId("inbox-range")).ToHaveTextAsync($"1–30 {of} 2000");
        // The window that closes first leads.
        await Expect(page.GetByTestId("conversation-row").First).ToContainTextAsync("Customer 1999");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Docs, $"inbox-queue-2000-{culture}.png") });

        await CustomerWritesAsync("+34600999111", "Lucía Nueva", "Hi, I need to change my delivery address");
        await Expect(page.GetByTestId("inbox-new")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("inbox-new").ClickAsync();                                   // action 1
        var newest = page.GetByTestId("conversation-row").First;
        await Expect(newest).ToContainTextAsync("Lucía Nueva");
        await newest.ClickAsync();                                                         // action 2
        await Expect(page.GetByTestId("conversation-customer")).ToHaveTextAsync("Lucía Nueva");
        await Expect(page.GetByTestId("draft-panel")).ToBeVisibleAsync();
        // Only the open conversation is marked.
        await Expect(page.Locator("[data-testid=conversation-row][data-selected=true]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=conversation-row][aria-current=page]")).ToContainTextAsync("Lucía Nueva");

        // The last page holds the last row.
        await page.Locator("[data-testid=inbox-pagination] button").Last.ClickAsync();
        await Expect(page.GetByTestId("inbox-range")).ToHaveTextAsync($"1981–2001 {of} 2001");
        await Expect(page.GetByTestId("conversation-row")).ToHaveCountAsync(21);
        await Expect(page.GetByTestId("conversation-row").Last).ToContainTextAsync("Customer 1999"); // newest first, since the "new" button
    }

    [Fact]
    public async Task A_greeting_says_what_it_is_and_offers_no_next_suggestion_it_does_not_have()
    {
        await CustomerWritesAsync("+34600555003", "Nerea", "hola");
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "es", "/inbox", 390, 844);
        await page.GetByTestId("conversation-row").Filter(new() { HasText = "Nerea" }).ClickAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("draft-intent")).ToHaveTextAsync("Un saludo");
        await Expect(page.GetByTestId("draft-approve")).ToBeVisibleAsync();
        // "Siguiente sugerencia" could only say there is none.
        await Expect(page.GetByTestId("draft-regenerate")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_manager_reading_a_blocked_draft_sees_why_it_stopped_and_that_nothing_was_sent()
    {
        await CustomerWritesAsync("+34600555002", "Iker", "Eres un idiota, respondan ya");
        var page = await Browser.SignInAsync(Url, DemoUsers.Manager, HitlAppFactory.DemoPassword, "es", "/inbox", 1366, 768);
        await page.GetByTestId("inbox-lane-blocked").ClickAsync();
        await page.GetByTestId("conversation-row").Filter(new() { HasText = "Iker" }).ClickAsync(new() { Timeout = 20_000 });

        var reason = page.GetByTestId("draft-readonly").GetByTestId("draft-block-reason");
        await Expect(reason).ToContainTextAsync("Insultos");
        await Expect(reason).ToContainTextAsync("No se ha enviado nada");
        // What the team does next, not buttons the manager does not have.
        await Expect(reason).ToContainTextAsync("El agente asignado responde a mano");
        await Expect(reason).Not.ToContainTextAsync("Responde a mano");
        // A stopped draft has no intent or confidence: "— · Confianza 0 %" only confused.
        await Expect(page.GetByTestId("draft-readonly-state")).ToHaveTextAsync("Bloqueado");
    }

    [Theory]
    [InlineData("es", "Insultos", "Enviar", "aprobado"), InlineData("en", "Insults", "Send", "approved")]
    public async Task A_blocked_draft_has_its_reason_in_the_ui_language_and_is_answered_with_the_neutral_reply_or_closed_as_handled(
        string culture, string insults, string send, string approved)
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/inbox", 1366, 768);
        await CustomerWritesAsync("+34600555001", "Rosa", "Eres un idiota, respondan ya");
        await Expect(page.GetByTestId("inbox-lane-blocked-count")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        // New work is not buried under it: the review lane does not list it.
        await Expect(page.GetByTestId("conversation-row")).ToHaveCountAsync(0);

        await page.GetByTestId("inbox-lane-blocked").ClickAsync();
        // The row says what holds it in words, and the selected lane stays red while something is blocked.
        await Expect(page.GetByTestId("conversation-blocked")).ToHaveTextAsync(culture == "es" ? "Bloqueada" : "Blocked");
        await Expect(page.GetByTestId("inbox-lane-blocked")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-color-error"));
        await page.GetByTestId("conversation-row").First.ClickAsync();
        var reason = page.GetByTestId("draft-block-reason");
        await Expect(reason).ToContainTextAsync(insults);
        await Expect(reason).ToContainTextAsync("idiota");
        await Expect(page.GetByTestId("draft-reject")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Docs, $"inbox-blocked-lane-{culture}.png") });

        await page.GetByTestId("draft-use-neutral").ClickAsync();
        await Expect(Editor(page)).Not.ToBeEmptyAsync();
        await Expect(page.GetByTestId("draft-approve")).ToContainTextAsync(send, new() { IgnoreCase = true });
        await page.GetByTestId("draft-approve").ClickAsync();
        await Expect(page.GetByTestId("message-bubble")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("inbox-lane-blocked-count")).ToHaveTextAsync("0");
        var history = page.GetByTestId("draft-history");
        await Expect(history).ToHaveCountAsync(1);
        await history.Locator("summary").ClickAsync();
        await Expect(history).ToContainTextAsync(approved);

        await CustomerWritesAsync("+34600555002", "Tomás", "Sois unos imbéciles");
        await Expect(page.GetByTestId("inbox-lane-blocked-count")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        await page.GetByTestId("conversation-row").Filter(new() { HasText = "Tomás" }).ClickAsync();
        await page.GetByTestId("draft-handled").ClickAsync();
        await BrowserFixture.Field(page, "handled-note").FillAsync("Le llamamos por teléfono");
        await page.GetByTestId("handled-confirm").ClickAsync();
        await Expect(page.GetByTestId("no-draft")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("inbox-lane-blocked-count")).ToHaveTextAsync("0");
        await page.GetByTestId("draft-history").Locator("summary").ClickAsync();
        await Expect(page.GetByTestId("draft-history-reason")).ToContainTextAsync("Le llamamos por teléfono");
    }

    [Theory]
    [InlineData("en"), InlineData("es")]
    public async Task A_placeholder_is_highlighted_and_blocks_sending_until_filled_and_the_built_in_model_offers_its_next_suggestion(string culture)
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/inbox", 1366, 768);
        await CustomerWritesAsync("+34600555101", "Mark", "I want to cancel my order, how can I do it?");
        await Expect(page.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.GetByTestId("conversation-row").ClickAsync();

        await Editor(page).FillAsync("Your order {{Order Number}} is cancelled. Anything else?");
        await Expect(page.GetByTestId("draft-placeholder")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("draft-placeholder")).ToHaveTextAsync("{{Order Number}}");
        await Expect(page.GetByTestId("draft-approve")).ToBeDisabledAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Docs, $"draft-placeholder-{culture}.png") });

        // A click selects the placeholder in the editor; typing replaces it.
        await page.GetByTestId("draft-placeholder").ClickAsync();
        await page.Keyboard.TypeAsync("A-2291");
        await Expect(Editor(page)).ToHaveValueAsync("Your order A-2291 is cancelled. Anything else?");
        await Expect(page.GetByTestId("draft-placeholder")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("draft-approve")).ToBeEnabledAsync();

        // The built-in model cannot follow an instruction: its button says what it does (the next suggestion), in one click.
        await Expect(page.GetByTestId("draft-regenerate")).ToHaveTextAsync(culture == "es" ? "Siguiente sugerencia" : "Next suggestion");
        var before = await Editor(page).InputValueAsync();
        await page.GetByTestId("draft-regenerate").ClickAsync();
        await Expect(Editor(page)).Not.ToHaveValueAsync(before);
        await Expect(page.GetByTestId("regenerate-instruction")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("es"), InlineData("en")]
    public async Task On_a_phone_the_list_and_the_conversation_are_two_screens_and_approve_is_in_reach(string culture)
    {
        var tenant = await TenantAsync();
        var seeded = await WaitingConversations.SeedAsync(App.Services, tenant, 40, DateTime.UtcNow.AddMinutes(-2), TimeSpan.FromMinutes(3),
            text: "¿Dónde está mi pedido?", draft: "Tu pedido está en camino.", earlierMessages: 24, namePrefix: "Cliente");
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/inbox", 390, 844);
        await Expect(page.GetByTestId("conversation-row")).ToHaveCountAsync(30);
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "the list scrolls sideways");
        await Expect(page.GetByTestId("inbox-back")).Not.ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Docs, $"inbox-phone-list-{culture}.png") });

        await page.GetByTestId("conversation-row").First.ClickAsync();
        await Expect(page.GetByTestId("draft-panel")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("conversation-row").First).Not.ToBeVisibleAsync();
        await Expect(page.GetByTestId("inbox-back")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "the conversation scrolls sideways");
        // The timeline opens at the newest message.
        await UntilAsync(page, AtBottom, "the timeline at its newest message");
        var approve = await page.GetByTestId("draft-approve").BoundingBoxAsync();
        Assert.NotNull(approve);
        Assert.True(approve.Y + approve.Height <= 844, $"approve at {approve.Y} px, below the screen");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Docs, $"inbox-phone-conversation-{culture}.png") });

        await page.GetByTestId("inbox-back").ClickAsync();
        await Expect(page.GetByTestId("conversation-row").First).ToBeVisibleAsync();
        Assert.Equal(40, seeded.Count);
    }

    [Theory]
    [InlineData("en"), InlineData("es")]
    public async Task The_timeline_follows_new_messages_unless_the_agent_scrolled_up_and_a_closed_window_disables_approve_before_the_click(string culture)
    {
        var tenant = await TenantAsync();
        var closed = await WaitingConversations.SeedAsync(App.Services, tenant, 1, DateTime.UtcNow.AddHours(-26), TimeSpan.Zero, ChannelKind.WhatsAppCloud,
            namePrefix: "Closed", earlierMessages: 30, draftCreatedUtc: DateTime.UtcNow.AddHours(-1));
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, $"/inbox/{closed[0].ConversationId}", 1366, 768);
        await Expect(page.GetByTestId("window-closed-notice")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("draft-approve")).ToBeDisabledAsync();
        await UntilAsync(page, AtBottom, "the timeline at its newest message");

        // The agent scrolls up to read; the customer writes (the window opens again): a pill, not a jump.
        await page.EvaluateAsync("document.querySelector('[data-testid=timeline]').scrollTop = 0");
        var from = closed[0].Address;
        using var http = new HttpClient { BaseAddress = new Uri(Url) };
        await http.PostSignedAsync(WhatsAppSender.Notification(
            [WhatsAppSender.TextMessage("wamid.follow1", "Are you there?", from: from)], waId: from));
        await Expect(page.GetByTestId("message-bubble").Filter(new() { HasText = "Are you there?" })).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("timeline-new")).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>(AtBottom));
        await page.GetByTestId("timeline-new").ClickAsync();
        await UntilAsync(page, AtBottom, "the timeline back at its newest message");
        await Expect(page.GetByTestId("window-closed-notice")).ToHaveCountAsync(0);
    }
}
