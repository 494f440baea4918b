using System.Net.Http.Json;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>The same agent in two tabs: a draft decided in one while the other holds an unsent edit says the edit was not sent.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoTabsJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: true)
{
    [Theory]
    [InlineData("en", "Your unsent edit of it was not sent.")]
    [InlineData("es", "Tu edición sin enviar no se envió.")]
    public async Task An_edit_left_in_one_tab_is_not_lost_without_a_word_when_the_other_tab_sends(string culture, string notSent)
    {
        var tabA = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/inbox", 1400, 860);
        var tabB = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/inbox", 1400, 860);
        using (var http = new HttpClient { BaseAddress = new Uri(Url) })
        {
            http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
            (await http.PostAsJsonAsync(SimulatorApi.Path, new { from = "+34600111888", name = "Tabitha", text = "Do you deliver on Saturdays?" })).EnsureSuccessStatusCode();
        }
        foreach (var tab in new[] { tabA, tabB })
        {
            await Expect(tab.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
            await tab.GetByTestId("conversation-row").ClickAsync();
            await Expect(tab.GetByTestId("draft-editor")).ToBeVisibleAsync();
        }
        var editor = BrowserFixture.Field(tabB, "draft-editor");
        await editor.FillAsync(await editor.InputValueAsync() + " (edited in tab B)");

        await tabA.GetByTestId("draft-approve").ClickAsync();

        await Expect(tabB.Locator(".mud-snackbar").Filter(new() { HasText = notSent })).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        // Tab A, which sent, hears nothing of the kind.
        await Expect(tabA.Locator(".mud-snackbar").Filter(new() { HasText = notSent })).ToHaveCountAsync(0);
    }
}
