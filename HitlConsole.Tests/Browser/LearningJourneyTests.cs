using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>Corrections teach the assistant: an agent saves a rewritten reply on a phone, an Admin accepts it, a gap becomes an entry.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LearningJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: false)
{
    private static readonly string Docs = BrowserFixture.DocsScreenshotFolder;

    [Theory]
    [InlineData("en", "Suggested knowledge"), InlineData("es", "Conocimiento sugerido")]
    public async Task An_agent_saves_a_rewritten_reply_as_knowledge_on_a_phone_and_an_admin_accepts_it(string culture, string queueTitle)
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        var seeded = await WaitingConversations.SeedAsync(App.Services, tenant, 1, DateTime.UtcNow.AddMinutes(-1), TimeSpan.Zero,
            namePrefix: "Nora", text: "Can I pick up my order A55123 in the shop?", draft: "Your order is on its way.");

        var agent = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, $"/inbox/{seeded[0].ConversationId}", 390, 844);
        var editor = agent.Locator("textarea[data-testid=draft-editor]").First;
        await Expect(editor).ToHaveValueAsync("Your order is on its way.");
        await editor.FillAsync("Hi Nora, yes: order A55123 can be collected in any of our shops two hours after you get the pick-up e-mail.");
        await agent.GetByTestId("draft-approve").ClickAsync();
        // The offer names the question the reply answered.
        await Expect(agent.GetByTestId("save-as-knowledge-offer")).ToContainTextAsync("Can I pick up my order A55123 in the shop?");
        await agent.GetByTestId("save-as-knowledge").ClickAsync();
        var question = agent.Locator("textarea[data-testid=lesson-question]");
        await Expect(question).ToHaveValueAsync("Can I pick up my order in the shop?");
        await Expect(agent.Locator("textarea[data-testid=lesson-answer]"))
            .ToHaveValueAsync("Hi {{Customer Name}}, yes: order {{Order Number}} can be collected in any of our shops two hours after you get the pick-up e-mail.");
        // Bad input gets a clear error under its field.
        await agent.Locator("textarea[data-testid=lesson-answer]").FillAsync("");
        await agent.GetByTestId("save-as-knowledge-confirm").ClickAsync();
        await Expect(agent.Locator(".mud-input-error").First).ToBeVisibleAsync();
        await agent.Locator("textarea[data-testid=lesson-answer]").FillAsync(
            "Yes: order {{Order Number}} can be collected in any of our shops two hours after you get the pick-up e-mail.");
        await agent.ScreenshotAsync(new() { Path = Path.Combine(Docs, $"save-as-knowledge-phone-{culture}.png"), FullPage = true });
        Assert.Null(await BrowserFixture.SidewaysOverflowAsync(agent));
        await agent.GetByTestId("save-as-knowledge-confirm").ClickAsync();
        await Expect(agent.GetByTestId("save-as-knowledge-panel")).ToHaveCountAsync(0);

        var admin = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/knowledge/suggestions");
        await Expect(admin.Locator("h4")).ToHaveTextAsync(queueTitle);
        var row = admin.GetByTestId("suggested-knowledge-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Can I pick up my order in the shop?");
        await Expect(row).ToContainTextAsync("Your order is on its way."); // the draft it replaced
        await Expect(row).ToContainTextAsync("Alex Agent");
        await row.GetByTestId("suggested-knowledge-review").ClickAsync();
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Docs, $"suggested-knowledge-{culture}.png"), FullPage = true });
        await row.GetByTestId("suggested-knowledge-accept").ClickAsync();
        await Expect(admin.GetByTestId("suggested-knowledge-empty")).ToBeVisibleAsync();

        await using var scope = App.Services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var entry = await db.KnowledgeEntries.SingleAsync(e => e.Question == "Can I pick up my order in the shop?");
        Assert.NotNull(entry.Embedding);
        Assert.Equal("track_order", entry.Intent);
    }

    [Theory]
    [InlineData("en", "Knowledge gaps"), InlineData("es", "Lagunas de conocimiento")]
    public async Task An_admin_follows_analytics_to_a_knowledge_gap_and_turns_it_into_an_entry(string culture, string title)
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        var seeded = await WaitingConversations.SeedAsync(App.Services, tenant, 3, DateTime.UtcNow.AddMinutes(-1), TimeSpan.FromMinutes(7),
            namePrefix: "Gift", text: "Do you sell gift cards?");
        await using (var scope = App.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var ids = seeded.Select(s => s.ConversationId).ToList();
            await db.Drafts.Where(d => ids.Contains(d.ConversationId)).ExecuteUpdateAsync(s => s.SetProperty(d => d.OutOfKnowledge, true));
        }

        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/analytics");
        await page.GetByTestId("analytics-knowledge-gaps").ClickAsync();
        await Expect(page.Locator("h4")).ToHaveTextAsync(title);
        var row = page.GetByTestId("knowledge-gap-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Do you sell gift cards?");
        await Expect(row.GetByTestId("knowledge-gap-count")).ToContainTextAsync("3");
        await row.GetByTestId("knowledge-gap-create").ClickAsync();
        await Expect(page.Locator("textarea[data-testid=lesson-question]")).ToHaveValueAsync("Do you sell gift cards?");
        await page.GetByTestId("knowledge-gap-confirm").ClickAsync();
        await Expect(page.Locator(".mud-input-error").First).ToBeVisibleAsync(); // no answer yet
        await page.Locator("textarea[data-testid=lesson-answer]").FillAsync("Yes: gift cards from 10 to 200 euros, sent by e-mail.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Docs, $"knowledge-gaps-{culture}.png"), FullPage = true });
        await page.GetByTestId("knowledge-gap-confirm").ClickAsync();
        await Expect(page.GetByTestId("knowledge-gaps-empty")).ToBeVisibleAsync();

        await using var check = App.Services.ForTenant(tenant);
        await using var db2 = await check.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(3, await db2.Drafts.CountAsync(d => d.GapEntryId != null));
    }
}
