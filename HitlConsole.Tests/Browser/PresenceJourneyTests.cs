using System.Net.Http.Json;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>A browser that stops answering (its script frozen) is dropped by the heartbeat: its claim and presence go.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PresenceJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private HitlAppFactory _app = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true", ["Hangfire:PollInterval"] = "00:00:00.100",
            ["Review:KeepAliveInterval"] = "00:00:01", ["Review:ClientTimeoutInterval"] = "00:00:03",
        });
        _url = _app.StartKestrel();
    }

    public async Task DisposeAsync()
    {
        await browser.CloseContextsAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_frozen_browser_loses_its_claim_and_presence_within_the_client_timeout()
    {
        var alex = await browser.SignInAsync(_url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "en", "/inbox", 1400, 860);
        var ada = await browser.SignInAsync(_url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "en", "/inbox", 1400, 860);
        using (var http = new HttpClient { BaseAddress = new Uri(_url) })
        {
            http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
            (await http.PostAsJsonAsync(SimulatorApi.Path, new { from = "+34600111777", name = "Olga", text = "Do you deliver on Saturdays?" })).EnsureSuccessStatusCode();
        }
        await Expect(alex.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await alex.GetByTestId("conversation-row").ClickAsync();
        await Expect(alex.GetByTestId("draft-editor")).ToBeVisibleAsync();
        await ada.GetByTestId("conversation-row").ClickAsync();
        await Expect(ada.GetByTestId("draft-held-by")).ToContainTextAsync("Alex Agent");
        await Expect(ada.GetByTestId("presence-user").Filter(new() { HasText = "Alex Agent" })).ToHaveCountAsync(1);

        // Alex's tab hangs: no script runs, so no heartbeat answers.
        var cdp = await alex.Context.NewCDPSessionAsync(alex);
        await cdp.SendAsync("Debugger.enable");
        _ = cdp.SendAsync("Debugger.pause");

        await Expect(ada.GetByTestId("presence-user").Filter(new() { HasText = "Alex Agent" })).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(ada.GetByTestId("draft-held-by")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(ada.GetByTestId("draft-approve")).ToBeEnabledAsync();
        await cdp.SendAsync("Debugger.resume");
    }
}
