using System.Net.Http.Json;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>
/// Customers (and whoever wrote a knowledge answer) control text the console shows. Script, HTML and markdown payloads go
/// through every place that text appears — names, previews, the timeline, presence, the draft and its sources — and must
/// show as the characters they are, never run.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileTextJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: true)
{
    private const string Name = "<img src=x onerror=\"window.__xss='name'\">Eve";
    private const string Text = "<script>window.__xss='script'</script> **bold** [track](javascript:window.__xss='md') " +
                                "<svg onload=\"window.__xss='svg'\"></svg> {{7*7}} @DateTime.Now where is my parcel tracking";
    private const string Answer = "Track it here: <a href=\"javascript:window.__xss='answer'\">link</a> <img src=y onerror=\"window.__xss='answer-img'\"> " +
                                  "**Tracking** shows every parcel step.";

    [Fact]
    public async Task Script_html_and_markdown_from_customers_and_knowledge_show_as_text_and_never_run()
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        await App.Services.AddKnowledgeAsync(tenant, "where is my parcel tracking hostile", Answer, "track_order");

        var ada = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "en", "/inbox", 1400, 900);
        var alex = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "es", "/inbox", 1400, 900);
        var dialogs = new List<string>();
        foreach (var page in new[] { ada, alex }) page.Dialog += (_, d) => { dialogs.Add(d.Message); _ = d.DismissAsync(); };

        using (var http = new HttpClient { BaseAddress = new Uri(Url) })
        {
            http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
            (await http.PostAsJsonAsync(SimulatorApi.Path, new { from = "+34600999000", name = Name, text = Text })).EnsureSuccessStatusCode();
        }

        // The list: name and preview.
        await Expect(ada.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(ada.GetByTestId("conversation-row")).ToContainTextAsync("<img src=x");
        await Expect(ada.GetByTestId("conversation-preview")).ToContainTextAsync("<script>");

        // The conversation: timeline, draft and its sources; the other console sees the name in presence.
        await ada.GetByTestId("conversation-row").ClickAsync();
        await Expect(ada.GetByTestId("message-bubble").First).ToContainTextAsync("<svg onload=");
        await Expect(ada.GetByTestId("message-bubble").First).ToContainTextAsync("**bold** [track](javascript:");
        await Expect(ada.GetByTestId("draft-panel")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var sources = ada.GetByTestId("draft-source");
        if (await sources.CountAsync() > 0)
        {
            foreach (var s in await sources.AllAsync()) await s.Locator("summary").ClickAsync();
            await Expect(ada.GetByTestId("draft-source-answer").First).ToBeVisibleAsync();
        }
        await Expect(alex.GetByTestId("presence-user").Filter(new() { HasText = "<img src=x" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await ada.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "hostile-text-inbox-en.png"), FullPage = true });

        await ada.GotoAsync("/simulator");
        await Expect(ada.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });

        foreach (var page in new[] { ada, alex })
        {
            Assert.Null(await page.EvaluateAsync<string?>("() => window.__xss ?? null"));
            // Nothing from the payloads became an element or an attribute.
            Assert.Equal(0, await page.EvaluateAsync<int>(
                "() => document.querySelectorAll('img[src=x], img[src=y], svg[onload], [onerror], a[href^=\"javascript:\"]').length"));
            Assert.Equal(0, await page.EvaluateAsync<int>(
                "() => [...document.scripts].filter(s => s.textContent.includes('__xss')).length"));
        }
        Assert.Empty(dialogs);
    }
}
