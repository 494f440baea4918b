using System.Diagnostics;
using HitlConsole.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>A restart does not wait for the consoles that are open: their circuits are closed when the server begins to stop.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShutdownJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_server_with_open_consoles_stops_at_once_and_the_consoles_say_so()
    {
        // The app as an operator runs it (a process of its own, the production host and its 30-s shutdown timeout): a console's
        // circuit is a WebSocket that never ends by itself, and the server used to wait all of those 30 s for them.
        var folder = Directory.CreateTempSubdirectory("hitl-stop-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(folder, "hitl.db")}",
            ["Demo__Enabled"] = "true",
            ["Demo__Password"] = HitlAppFactory.DemoPassword,
            ["Serilog__MinimumLevel__Default"] = "Warning",
            // From the build output, as `dotnet run` serves it: the scripts and styles come from their sources only in Development.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        try
        {
            await using var app = AppProcess.Start(Path.Combine(AppContext.BaseDirectory, "HitlConsole.dll"), folder, environment);
            await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));
            var agent = await browser.SignInAsync(app.Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "en", "/inbox");
            var admin = await browser.SignInAsync(app.Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/knowledge");
            await Expect(agent.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 30_000 });
            await Expect(admin.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 30_000 });

            var stopping = Stopwatch.StartNew();
            app.Terminate();
            Assert.True(await app.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the app did not stop");
            stopping.Stop();

            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the app took {stopping.Elapsed.TotalSeconds:0.0} s to stop:\n{app.Output}");
            Assert.Equal(0, app.ExitCode);
            await Expect(agent.Locator("#components-reconnect-modal")).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await Expect(admin.Locator("#components-reconnect-modal")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        }
        finally
        {
            await browser.CloseContextsAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}
