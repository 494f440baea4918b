using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using HitlConsole.Features.Inbox;

namespace HitlConsole.Tests.Browser;

/// <summary>A person writes as a customer in the simulator and sees the approved reply arrive live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SimulatorJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: true)
{
    [Fact]
    public async Task A_simulated_customer_message_is_drafted_and_the_approved_reply_appears_live()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "es", "/simulator");
        await Expect(page.GetByText("Escribe como un cliente")).ToBeVisibleAsync();

        await page.Locator("[data-testid=sim-name] input, input[data-testid=sim-name]").First.FillAsync("Lucía");
        // Like a chat: Shift+Enter starts a new line, Enter sends.
        var text = page.Locator("[data-testid=sim-text] textarea, textarea[data-testid=sim-text]").First;
        await text.FillAsync("I want to cancel my order,");
        await text.PressAsync("Shift+Enter");
        await text.PressSequentiallyAsync("how can I do it?");
        await text.PressAsync("Enter");
        await Expect(page.GetByTestId("sim-sent")).ToHaveCountAsync(1);
        Assert.Equal("I want to cancel my order,\nhow can I do it?", await page.GetByTestId("sim-sent").Locator(".hitl-bubble-text").InnerTextAsync());
        await Expect(text).ToHaveValueAsync("");

        var draft = await Eventually.GetAsync(async () =>
        {
            await using var scope = App.Services.CreateAsyncScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.Drafts.IgnoreQueryFilters().SingleOrDefaultAsync(d => d.State == DraftState.Pending);
        }, seconds: 45, what: "the draft"); // the app's first draft loads the models; on a loaded two-core runner that took over 20 s

        var tenant = await App.Services.DemoTenantIdAsync();
        await using (var scope = App.Services.ForTenant(tenant, await App.Services.UserIdAsync(tenant, DemoUsers.Agent)))
            Assert.IsType<ReviewDraft.Result.Sent>(await scope.ServiceProvider.GetRequiredService<ReviewDraft>()
                .ApproveAsync(draft.Id, draft.Version, "You can cancel it from Orders › Cancel. Anything else?", default));

        await Expect(page.GetByTestId("sim-received")).ToContainTextAsync("You can cancel it from Orders", new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-simulator-es.png") });

        // Pasted and sent at once, before the button knows there is text: it still goes, with no stray line.
        await text.FillAsync("¿Y cuánto tarda el reembolso?");
        await text.PressAsync("Enter");
        await Expect(page.GetByTestId("sim-sent")).ToHaveCountAsync(2);
        Assert.Equal("¿Y cuánto tarda el reembolso?", await page.GetByTestId("sim-sent").Last.Locator(".hitl-bubble-text").InnerTextAsync());
        await Expect(text).ToHaveValueAsync("");
    }

    [Theory]
    [InlineData("en", 1400, 900), InlineData("es", 390, 844)]
    public async Task The_send_button_sits_level_with_the_bottom_of_the_message_box(string culture, int width, int height)
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/simulator", width, height);
        var send = page.GetByTestId("sim-send");
        await Expect(send).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sim-enter-sends")).ToBeVisibleAsync();
        // The drawn box (its outline), not the field with its hint: the button was 27 px below the box on a wide screen.
        var gap = await page.EvaluateAsync<double>("""
            () => { const box = document.querySelector('textarea[data-testid=sim-text]').closest('.mud-input').getBoundingClientRect();
                    return document.querySelector('[data-testid=sim-send]').getBoundingClientRect().bottom - box.bottom; }
            """);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"agent-simulator-composer-{culture}-{width}.png") });
        Assert.True(Math.Abs(gap) <= 2, $"the send button's bottom is {gap:0} px from the message box's");
    }

    [Fact]
    public async Task Among_two_thousand_customers_a_few_letters_find_one_and_open_their_chat()
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        await using (var scope = App.Services.ForTenant(tenant))
        {
            var chat = scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Channels.Simulator.SimulatorChat>();
            Assert.NotNull(await chat.SendAsCustomerAsync("+34 611 222 333", "Zoë Quintana", "¿Dónde está mi paquete?", default));
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            var channel = await db.Channels.Where(c => c.Kind == ChannelKind.Simulator).Select(c => c.Id).FirstAsync();
            db.Contacts.AddRange(Enumerable.Range(0, 2000).Select(i => new Contact
            {
                ChannelId = channel, Address = $"+34 700 {i:000 000}", DisplayName = $"Cliente {i}", CreatedUtc = DateTime.UtcNow,
            }));
            await db.SaveChangesAsync();
            Assert.Equal("Zoë Quintana", Assert.Single(await chat.SearchContactsAsync("QUINT", 20, default)).Name);
        }

        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "es", "/simulator", 390, 844);
        var picker = page.Locator("input[data-testid=sim-contact], [data-testid=sim-contact] input").First;
        await picker.ClickAsync();
        await picker.PressSequentiallyAsync("quint", new() { Delay = 50 });
        var option = page.GetByRole(AriaRole.Option);
        await Expect(option).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Expect(option).ToContainTextAsync("Zoë Quintana (+34611222333)");
        await option.ClickAsync();
        await Expect(page.GetByTestId("sim-sent")).ToContainTextAsync("¿Dónde está mi paquete?", new() { Timeout = 10_000 });
        await Expect(page.GetByTestId("sim-address")).ToHaveCountAsync(0); // writing as Zoë, not as a new customer

        // A number works as well as a name; at most a page of matches is offered.
        await picker.FillAsync("700 001");
        await Expect(option.First).ToContainTextAsync("+34 700 001", new() { Timeout = 10_000 });
        Assert.InRange(await option.CountAsync(), 1, 20);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-simulator-picker-es-390.png") });
    }
}
