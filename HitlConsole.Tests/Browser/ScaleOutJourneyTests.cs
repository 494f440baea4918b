using System.Net.Http.Json;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>An agent's console on one instance, the customer and the drafting job on another, one PostgreSQL database.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScaleOutJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private HitlAppFactory _a = null!;
    private HitlAppFactory _b = null!;

    public async Task InitializeAsync()
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        _a = new HitlAppFactory(database, new Dictionary<string, string?> { ["Hangfire:ServerEnabled"] = "false" });
        _b = new HitlAppFactory(database, new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true", ["Hangfire:PollInterval"] = "00:00:00.100",
        }, ownsDatabase: false);
    }

    public async Task DisposeAsync()
    {
        await browser.CloseContextsAsync();
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task A_message_that_arrives_and_is_drafted_on_instance_B_appears_live_in_a_console_on_instance_A()
    {
        var (urlA, urlB) = (_a.StartKestrel(), _b.StartKestrel());
        var alex = await browser.SignInAsync(urlA, DemoUsers.Agent, HitlAppFactory.DemoPassword, "en", "/inbox", 1400, 860);
        await Expect(alex.GetByTestId("inbox-empty")).ToBeVisibleAsync();

        using (var http = new HttpClient { BaseAddress = new Uri(urlB) })
        {
            http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
            (await http.PostAsJsonAsync(SimulatorApi.Path, new { from = "+34600555666", name = "Bruno", text = "I need to change my shipping address" }))
                .EnsureSuccessStatusCode();
        }

        await Expect(alex.GetByTestId("conversation-row")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await alex.GetByTestId("conversation-row").ClickAsync();
        await Expect(alex.GetByTestId("draft-intent")).Not.ToBeEmptyAsync(new() { Timeout = 15_000 });
        await alex.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "scale-out-console-on-a-en.png") });
    }
}
