using System.Diagnostics;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Tooling;
using Microsoft.Playwright;

namespace HitlConsole.Bench;

/// <summary>Browsers on Debian's Chromium (no Playwright download), signed in as a demo user.</summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium-headless-shell"; // what Playwright runs headless; the test command installs it
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static bool Available => File.Exists(ChromiumPath);

    public static async Task<Browser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
        });
        return new Browser(playwright, browser);
    }

    public async Task<IPage> SignInAsync(Uri app, string email, string path)
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = app.ToString().TrimEnd('/'), Locale = "en", ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=" + Uri.EscapeDataString(path));
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(AppUnderTest.DemoPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.GetByTestId("app-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        return page;
    }

    /// <summary>Another session of a user already signed in (its cookies), as a second tab or a colleague's browser would open.</summary>
    public async Task<IPage> OpenAsync(Uri app, string storageState, string path)
    {
        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = app.ToString().TrimEnd('/'), Locale = "en", ViewportSize = new() { Width = 1440, Height = 900 }, StorageState = storageState,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.GetByTestId("app-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>
/// Draft stored → visible in an agent's open inbox (a second browser, pushed over the live circuit). The page records
/// the moment the conversation's pending badge appears (a MutationObserver, so no polling delay is measured).
/// </summary>
public static class LivePushBench
{
    public static async Task<BenchResult> RunAsync(AppUnderTest app, Browser browser, bool quick, TextWriter log)
    {
        var page = await browser.SignInAsync(app.BaseAddress, "agent@demo.local", "/inbox");
        // "All", newest activity first: under "Needs review" (oldest waiting first) a new conversation may sit below the fold.
        await page.GetByTestId("inbox-filter-all").ClickAsync();
        await page.Locator("[data-testid=conversation-row], [data-testid=inbox-empty]").First.WaitForAsync();
        await page.EvaluateAsync(TeamBench.PendingObserver, "Push ");
        using var http = Webhooks.Client(app.BaseAddress, 1);
        var run = Guid.NewGuid().ToString("N")[..6];
        var count = quick ? 5 : 30;
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var name = $"Push {run} {i}";
            var wamid = $"wamid.push.{run}.{i}";
            using (var response = await Webhooks.PostAsync(http, WhatsAppWebhook.Path, Webhooks.Build(wamid, $"3480{i:D7}", name, "where is my order?")))
                response.EnsureSuccessStatusCode();
            var seen = await page.WaitForFunctionAsync("name => window.__seen[name]", name, new() { Timeout = 30_000 });
            var seenMs = await seen.JsonValueAsync<double>();
            var stored = (await IngestBench.DraftTimesAsync(app, wamid)).Single();
            latencies.Add(seenMs - new DateTimeOffset(stored.StoredUtc).ToUnixTimeMilliseconds());
            await Task.Delay(150);
        }
        var p95 = Stats.Percentile(latencies, 0.95);
        log.WriteLine($"live push: p50 {Stats.Percentile(latencies, 0.5):0} ms p95 {p95:0} ms over {count}");
        await page.Context.CloseAsync();
        return new BenchResult("live push: draft stored → visible in another browser",
            $"p50 {Stats.Ms(Stats.Percentile(latencies, 0.5))}, p95 {Stats.Ms(p95)}", "—", null, "p95 < 300 ms", p95 < 300);
    }
}
