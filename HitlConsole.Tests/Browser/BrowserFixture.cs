using Microsoft.Playwright;

namespace HitlConsole.Tests.Browser;

/// <summary>One Debian Chromium for the browser tests (no Playwright browser download).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Support.Repo.PathOf("TestResults", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: the README's test command installs Debian's chromium.");
        // Playwright's 5 s default is too tight for a Blazor round trip on a busy 2-core machine (the lease claim before
        // the editor shows, a drill-down navigation); a longer wait changes no assertion, it only fails later.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync();
    }

    private Task<IBrowser> LaunchAsync() =>
        _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });

    /// <summary>A fresh browser context that picks a language, signs in and waits for the live circuit.</summary>
    /// <summary>The input of a field: MudBlazor puts the test id on the input itself or on its wrapper, depending on the component.</summary>
    public static ILocator Field(IPage page, string id) =>
        page.Locator($"input[data-testid={id}], textarea[data-testid={id}], [data-testid={id}] input, [data-testid={id}] textarea").First;

    public async Task<IPage> SignInAsync(string baseUrl, string email, string password, string culture = "en", string path = "/",
        int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseUrl, Locale = culture, ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/culture/set?culture={culture}&redirectUri={Uri.EscapeDataString(path)}");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        return page;
    }

    /// <summary>
    /// Closes every page a test opened. An open page keeps its renderer process and its Blazor circuit alive, and once its
    /// app has stopped it keeps trying to reconnect: left open, a run's ≈ 150 pages took a large share of both cores.
    /// The browser collection runs one test at a time, so every open context is the finished test's.
    /// </summary>
    public async Task CloseContextsAsync()
    {
        foreach (var context in Browser.Contexts.ToList())
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException) when (!Browser.IsConnected || !Browser.Contexts.Contains(context))
            {
                // Already closed by the test (or with the browser): nothing is left to close.
            }
        }
        // A browser that died in a test fails that test; the next ones get a new one.
        if (!Browser.IsConnected) Browser = await LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
