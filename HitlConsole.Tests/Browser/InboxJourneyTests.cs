using System.Net.Http.Json;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>Two agents with the console open: a customer writes, both see it live, one edits and sends, the other sees it handled.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: true)
{
    private Task<IPage> SignInAsync(string email, string culture) =>
        Browser.SignInAsync(Url, email, HitlAppFactory.DemoPassword, culture, "/inbox", 1400, 860);

    private async Task CustomerWritesAsync(string from, string name, string text)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Url) };
        http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
        (await http.PostAsJsonAsync(SimulatorApi.Path, new { from, name, text })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_new_message_appears_live_for_two_agents_and_one_edits_and_sends_it()
    {
        var alex = await SignInAsync(DemoUsers.Agent, "es");
        var ada = await SignInAsync(DemoUsers.Admin, "en");
        await Expect(alex.GetByTestId("inbox-empty")).ToBeVisibleAsync();

        await CustomerWritesAsync("+34600111333", "Lucía", "I want to cancel my order, how can I do it?");

        // Both consoles show it without a refresh, once its draft exists (the app's first draft also loads the models).
        await Expect(alex.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 45_000 });
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(ada.GetByTestId("conversation-pending")).ToHaveTextAsync("1");
        Assert.InRange(await BrowserFixture.TextContrastAsync(ada.GetByTestId("conversation-pending")), 4.5, 21);

        await alex.GetByTestId("conversation-row").ClickAsync();
        await Expect(alex.GetByTestId("draft-intent")).ToHaveTextAsync("Cancelar un pedido");
        // The mark a chosen row gets before the server answers (app.js) goes once the conversation shows.
        await Expect(alex.Locator("[data-opening]")).ToHaveCountAsync(0);
        await Expect(alex.GetByTestId("draft-intent")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex(@": cancel_order\)$"));
        await Expect(alex.GetByTestId("draft-confidence")).ToContainTextAsync("Confianza");
        await Expect(alex.GetByTestId("message-bubble")).ToHaveCountAsync(1);
        var editor = alex.Locator("[data-testid=draft-editor] textarea, textarea[data-testid=draft-editor]").First;
        await Expect(editor).Not.ToBeEmptyAsync();
        await alex.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-inbox-draft-es.png") });

        await editor.FillAsync("Hola Lucía:\npuedes cancelarlo en Mis pedidos › Cancelar. ¿Algo más?");
        await alex.GetByTestId("draft-approve").ClickAsync();

        await Expect(alex.GetByTestId("message-bubble")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await Expect(alex.GetByTestId("message-bubble").Nth(1)).ToContainTextAsync("Mis pedidos");
        // The reply keeps its two lines in the conversation (innerText follows the CSS: a collapsed line break reads as a space).
        Assert.Equal("Hola Lucía:\npuedes cancelarlo en Mis pedidos › Cancelar. ¿Algo más?",
            await alex.GetByTestId("message-bubble").Nth(1).GetByTestId("message-text").InnerTextAsync());
        await Expect(alex.GetByTestId("no-draft")).ToBeVisibleAsync();

        // The other agent's "needs review" list empties live.
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await alex.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-inbox-sent-es.png") });
    }

    [Fact]
    public async Task A_draft_is_rejected_with_a_reason_and_the_customer_stays_in_the_review_list_until_answered()
    {
        var ada = await SignInAsync(DemoUsers.Admin, "en");
        await CustomerWritesAsync("+34600111444", "Mark", "Where is my invoice?");
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await ada.GetByTestId("conversation-row").ClickAsync();
        await Expect(ada.GetByTestId("draft-panel")).ToBeVisibleAsync();
        // The header's icon buttons are named for screen readers, not only by their tooltips.
        await Expect(ada.GetByRole(AriaRole.Button, new() { Name = "Pin", Exact = true })).ToBeVisibleAsync();
        await ada.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-inbox-draft-en.png") });

        await ada.GetByTestId("draft-reject").ClickAsync();
        await ada.GetByTestId("reject-reason").ClickAsync();
        await ada.GetByText("Wrong tone").ClickAsync();
        await ada.GetByTestId("reject-confirm").ClickAsync();

        // Nothing was sent: the customer still waits, and the list says so until someone answers.
        await Expect(ada.GetByTestId("awaiting-reply")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(ada.GetByTestId("conversation-awaiting")).ToHaveTextAsync("Awaiting reply");
        await ada.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-inbox-awaiting-reply-en.png") });
        // Both warnings are read at a glance: text at WCAG AA contrast (4.5:1), not MudBlazor's default orange on white (2.2:1).
        Assert.InRange(await BrowserFixture.TextContrastAsync(ada.GetByTestId("conversation-awaiting")), 4.5, 21);
        Assert.InRange(await BrowserFixture.TextContrastAsync(ada.GetByTestId("awaiting-reply").Locator(".mud-alert-message")), 4.5, 21);
        // The navigation badge counts what the review lane holds: the customer still waits, so it still says 1.
        await Expect(ada.GetByTestId("nav-pending")).ToHaveTextAsync("1");
        await ada.Locator("textarea[data-testid=own-reply-text]").FillAsync("Your invoice is in your account, under Orders.");
        await ada.GetByTestId("own-reply-send").ClickAsync();
        await Expect(ada.GetByTestId("no-draft")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(0);
        await Expect(ada.GetByTestId("nav-pending")).ToHaveCountAsync(0);
        await ada.GetByTestId("inbox-filter-all").ClickAsync();
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(1);

        // The reason is kept as its code: a Spanish colleague reads it in Spanish, the history shows it translated.
        await using (var scope = App.Services.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal("RejectWrongTone", await db.Drafts.IgnoreQueryFilters().Where(d => d.State == DraftState.Rejected).Select(d => d.StateReason).SingleAsync());
        var alex = await SignInAsync(DemoUsers.Agent, "es");
        await alex.GetByTestId("inbox-filter-all").ClickAsync();
        await alex.GetByTestId("conversation-row").ClickAsync();
        await alex.GetByTestId("draft-history").Locator("summary").ClickAsync();
        await Expect(alex.GetByTestId("draft-history-reason")).ToContainTextAsync("Tono inadecuado");
    }

    private static ILocator Editor(IPage page) => page.Locator("textarea[data-testid=draft-editor]").First;

    [Fact]
    public async Task One_agent_reviews_the_other_sees_who_takes_over_and_sends_with_the_keyboard()
    {
        var alex = await SignInAsync(DemoUsers.Agent, "es");
        var ada = await SignInAsync(DemoUsers.Admin, "en");
        await CustomerWritesAsync("+34600111555", "Irene", "How long does shipping take to Madrid?");
        await Expect(alex.GetByTestId("nav-pending")).ToHaveTextAsync("1", new() { Timeout = 15_000 });
        await Expect(ada.GetByTestId("nav-pending")).ToHaveTextAsync("1");
        // The badge counts both lanes; its label says which is which.
        await Expect(alex.GetByTestId("nav-pending")).ToHaveAttributeAsync("title", "1 conversación por revisar, ninguna bloqueada");
        await Expect(ada.GetByTestId("nav-pending")).ToHaveAttributeAsync("title", "1 conversation to review, none blocked");

        await alex.GetByTestId("conversation-row").ClickAsync();
        await Expect(Editor(alex)).Not.ToBeEmptyAsync();
        await Expect(ada.GetByTestId("presence-user").Filter(new() { HasText = "Alex Agent" })).ToContainTextAsync("Irene");
        // Alex starts an edit and does not send it: whoever takes over continues from it.
        await Editor(alex).FillAsync("Irene, a Madrid tarda");

        await ada.GetByTestId("conversation-row").ClickAsync();
        await Expect(ada.GetByTestId("draft-held-by")).ToContainTextAsync("Alex Agent is reviewing");
        await Expect(ada.GetByTestId("draft-approve")).ToBeDisabledAsync();
        await ada.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-inbox-held-en.png") });

        await ada.GetByTestId("draft-take-over").ClickAsync();
        await Expect(alex.GetByTestId("draft-held-by")).ToContainTextAsync("Ada Admin está revisando", new() { Timeout = 10_000 });
        await Expect(alex.Locator(".mud-snackbar").Filter(new() { HasText = "Ada Admin ha tomado el control de este borrador y continúa desde tu edición." }))
            .ToBeVisibleAsync();
        await Expect(alex.GetByTestId("draft-approve")).ToBeDisabledAsync();
        await alex.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-inbox-taken-over-es.png") });
        await Expect(Editor(ada)).ToHaveValueAsync("Irene, a Madrid tarda");
        await Expect(ada.GetByTestId("draft-continued")).ToHaveTextAsync("You continue from Alex Agent's unsent edit.");
        await ada.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-inbox-continued-en.png") });

        await Editor(ada).FillAsync("Delivery to Madrid takes 2 to 3 working days.");
        await ada.GetByTestId("shortcuts-help").ClickAsync();
        await Expect(ada.GetByTestId("shortcuts-popover")).ToContainTextAsync("Approve and send");
        await Editor(ada).FocusAsync();
        await ada.Keyboard.PressAsync("Control+Enter");

        await Expect(ada.GetByTestId("message-bubble")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await Expect(alex.GetByTestId("message-author").Last).ToHaveTextAsync("Ada Admin", new() { Timeout = 10_000 });
        await Expect(alex.GetByTestId("no-draft")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(alex.GetByTestId("nav-pending")).ToHaveCountAsync(0);

        // With no draft left, a person can still write; what they typed survives a reload, and Ctrl+Enter sends it.
        await alex.Locator("textarea[data-testid=own-reply-text]").FillAsync("¿Te puedo ayudar con algo más?");
        await alex.ReloadAsync();
        await Expect(alex.Locator("textarea[data-testid=own-reply-text]")).ToHaveValueAsync("¿Te puedo ayudar con algo más?", new() { Timeout = 15_000 });
        await Expect(alex.GetByTestId("own-reply-restored")).ToHaveTextAsync("Se ha recuperado tu edición sin enviar.");
        await alex.Locator("textarea[data-testid=own-reply-text]").FocusAsync();
        await alex.Keyboard.PressAsync("Control+Enter");
        await Expect(alex.GetByTestId("message-bubble")).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        await Expect(alex.Locator("textarea[data-testid=own-reply-text]")).ToHaveValueAsync("");

        // The Admin reads it all back in the audit log.
        await ada.GetByTestId("nav-audit").ClickAsync();
        // Each action as a sentence; its code stays one hover away.
        await Expect(ada.GetByTestId("audit-row").First).ToHaveAttributeAsync("data-action", "message.sent-by-agent");
        await Expect(ada.GetByTestId("audit-row").First).ToContainTextAsync("wrote and sent a reply");
        // The reply is shown by its words, not by its message's id; nothing before it is a grey dash, not a red one.
        var change = ada.GetByTestId("audit-change").First;
        await Expect(change).ToContainTextAsync("“¿Te puedo ayudar con algo más?”");
        await Expect(change.GetByTestId("audit-field-empty").First).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-error-text"));
        await Expect(ada.Locator("[data-testid=audit-row][data-action='draft.taken-over']")).ToHaveCountAsync(1);
        await Expect(ada.Locator("[data-testid=audit-row][data-action='draft.edited-and-sent']")).ToHaveCountAsync(1);
        await ada.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-audit-en.png") });
    }

    [Fact]
    public async Task An_edit_in_progress_survives_a_reload()
    {
        var ada = await SignInAsync(DemoUsers.Admin, "en");
        await CustomerWritesAsync("+34600111666", "Paul", "I forgot my password");
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await ada.GetByTestId("conversation-row").ClickAsync();
        await Expect(Editor(ada)).Not.ToBeEmptyAsync();
        await Editor(ada).FillAsync("Hi Paul, use the reset link on the sign-in page and");

        await ada.ReloadAsync();
        await Expect(ada.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(ada.GetByTestId("draft-restored")).ToBeVisibleAsync();
        await Expect(Editor(ada)).ToHaveValueAsync("Hi Paul, use the reset link on the sign-in page and");
        // Reloading the page ended the old circuit's claim and the new one holds it again: nobody is shown as reviewing.
        await Expect(ada.GetByTestId("draft-held-by")).ToHaveCountAsync(0);
    }
    /// <summary>
    /// A fast agent sends and is already on the next conversation before the sent one reloads: the console carries on (the
    /// next draft can be sent), and nothing ends the connection behind a page that still looks usable.
    /// </summary>
    [Fact]
    public async Task Sending_and_moving_to_the_next_conversation_at_once_keeps_the_console_working()
    {
        var alex = await SignInAsync(DemoUsers.Agent, "en");
        await CustomerWritesAsync("+34600111701", "Noah", "How long does shipping take to Madrid?");
        await CustomerWritesAsync("+34600111702", "Emma", "How do I track my order?");
        await Expect(alex.GetByTestId("conversation-row")).ToHaveCountAsync(2, new() { Timeout = 45_000 });
        await Expect(alex.GetByTestId("nav-pending")).ToHaveTextAsync("2", new() { Timeout = 15_000 });

        await alex.GetByTestId("conversation-row").Nth(0).ClickAsync();
        await Expect(Editor(alex)).Not.ToBeEmptyAsync();
        var first = await alex.GetByTestId("conversation-customer").InnerTextAsync();
        await alex.GetByTestId("draft-approve").ClickAsync();
        await alex.GetByTestId("conversation-row").Filter(new() { HasNotText = first }).ClickAsync();

        await Expect(alex.GetByTestId("conversation-customer")).Not.ToHaveTextAsync(first);
        await Expect(Editor(alex)).Not.ToBeEmptyAsync();
        // "?" outside the editor shows the shortcuts, Escape puts them away.
        await alex.GetByTestId("conversation-customer").ClickAsync();
        await alex.Keyboard.PressAsync("?");
        await Expect(alex.GetByTestId("shortcuts-popover")).ToContainTextAsync("Show these shortcuts");
        await alex.Keyboard.PressAsync("Escape");
        await Expect(alex.GetByTestId("shortcuts-popover")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-popover-open"));
        await alex.GetByTestId("draft-approve").ClickAsync();
        await Expect(alex.GetByTestId("nav-pending")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Expect(alex.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await db.Drafts.IgnoreQueryFilters().CountAsync(d => d.State == DraftState.Approved));
    }
}
