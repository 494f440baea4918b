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
public sealed class SimulatorJourneyTests(BrowserFixture browser) : KestrelAppTest(jobsOn: true)
{
    [Fact]
    public async Task A_simulated_customer_message_is_drafted_and_the_approved_reply_appears_live()
    {
        var page = await browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "es", "/simulator");
        await Expect(page.GetByText("Escribe como un cliente")).ToBeVisibleAsync();

        await page.Locator("[data-testid=sim-name] input, input[data-testid=sim-name]").First.FillAsync("Lucía");
        await page.Locator("[data-testid=sim-text] textarea, textarea[data-testid=sim-text]").First.FillAsync("I want to cancel my order, how can I do it?");
        await page.GetByTestId("sim-send").ClickAsync();
        await Expect(page.GetByTestId("sim-sent")).ToHaveCountAsync(1);

        var draft = await Eventually.GetAsync(async () =>
        {
            await using var scope = App.Services.CreateAsyncScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.Drafts.IgnoreQueryFilters().SingleOrDefaultAsync(d => d.State == DraftState.Pending);
        }, what: "the draft");

        var tenant = await App.Services.DemoTenantIdAsync();
        await using (var scope = App.Services.ForTenant(tenant, await App.Services.UserIdAsync(tenant, DemoUsers.Agent)))
            Assert.IsType<ReviewDraft.Result.Sent>(await scope.ServiceProvider.GetRequiredService<ReviewDraft>()
                .ApproveAsync(draft.Id, draft.Version, "You can cancel it from Orders › Cancel. Anything else?", default));

        await Expect(page.GetByTestId("sim-received")).ToContainTextAsync("You can cancel it from Orders", new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-simulator-es.png") });
    }
}
