using System.Net;
using HitlConsole.Tests.Support;
using Microsoft.Playwright;
using Cookie = Microsoft.Playwright.Cookie;

namespace HitlConsole.Tests.Browser;

/// <summary>Debian's Chromium for the browser tests (no Playwright browser download).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>
    /// Debian's build of Chromium's headless shell: the same Blink and V8 as the browser, without the desktop browser's
    /// layers, and what Playwright itself runs headless. The suite's journeys cost it less than half the CPU of the full
    /// browser in headless mode (docs/performance.md, "Test suite, fifth pass").
    /// </summary>
    public const string ChromiumPath = "/usr/bin/chromium-headless-shell";

    /// <summary>
    /// The full browser, started only for a journey that needs a browser permission: the headless shell has no
    /// permission settings and answers "denied" to desktop notifications whatever a context is granted.
    /// </summary>
    public const string DesktopChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _desktop;
    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Support.Repo.PathOf("TestResults", "screenshots")).FullName;

    /// <summary>
    /// Where the screenshots the docs show are written: docs/screenshots with HITL_DOCS_SCREENSHOTS=1, else beside the
    /// others, so an ordinary test run leaves the working tree as it was (seeded data differs from run to run).
    /// </summary>
    public static string DocsScreenshotFolder { get; } = Environment.GetEnvironmentVariable("HITL_DOCS_SCREENSHOTS") == "1"
        ? Directory.CreateDirectory(Support.Repo.PathOf("docs", "screenshots")).FullName
        : ScreenshotFolder;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: the README's test command installs Debian's chromium-headless-shell.");
        // Playwright's 5 s default is too tight for a Blazor round trip on a busy 2-core machine (the lease claim before
        // the editor shows, a drill-down navigation); a longer wait changes no assertion, it only fails later.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync();
    }

    private Task<IBrowser> LaunchAsync(string path = ChromiumPath) =>
        _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });

    /// <summary>The input of a field: MudBlazor puts the test id on the input itself or on its wrapper, depending on the component.</summary>
    public static ILocator Field(IPage page, string id) =>
        page.Locator($"input[data-testid={id}], textarea[data-testid={id}], [data-testid={id}] input, [data-testid={id}] textarea").First;

    /// <summary>
    /// The WCAG contrast ratio of an element's text against the first opaque background behind it (its own or an
    /// ancestor's), as the browser paints them.
    /// </summary>
    public static Task<double> TextContrastAsync(ILocator element) => element.EvaluateAsync<double>("""
        el => {
          const rgb = c => c.match(/[\d.]+/g).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
          const over = (top, bottom) => { const a = top[3] ?? 1; return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)); };
          const layers = [];
          for (let node = el; node; node = node.parentElement) {
            const bg = rgb(getComputedStyle(node).backgroundColor);
            if ((bg[3] ?? 1) > 0) { layers.push(bg); if ((bg[3] ?? 1) >= 1) break; }
          }
          let background = [255, 255, 255];
          for (const layer of layers.reverse()) background = over(layer, background);
          const text = over(rgb(getComputedStyle(el).color), background);
          const [a, b] = [lum(text), lum(background)];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }
        """);

    /// <summary>
    /// Null when the page does not scroll sideways, else the elements that reach past the window's right edge. A layout
    /// that settles (a popover closing, a font arriving) is given three seconds; the description names the culprit, which
    /// a bare true/false did not when this check failed once in a full run.
    /// </summary>
    public static async Task<string?> SidewaysOverflowAsync(IPage page)
    {
        const string fits = "document.documentElement.scrollWidth <= window.innerWidth + 1";
        try { await page.WaitForFunctionAsync(fits, null, new() { Timeout = 3_000 }); return null; }
        catch (TimeoutException) { }
        return await page.EvaluateAsync<string>("""
            () => {
              const limit = window.innerWidth + 1;
              const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit && !e.closest('[hidden]'))
                .map(e => { const r = e.getBoundingClientRect(); return `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}[${e.dataset.testid ?? ''}] right=${Math.round(r.right)}`; });
              return `scrollWidth ${document.documentElement.scrollWidth} > ${window.innerWidth}: ${wide.slice(-6).join(' | ')}`;
            }
            """);
    }

    /// <summary>
    /// A fresh browser context signed in as <paramref name="email"/> in <paramref name="culture"/>, on <paramref name="path"/>
    /// with its live circuit up. The sign-in form is posted over HTTP (the same endpoint, the same cookies) and the cookies
    /// handed to the browser: a form sign-in in the browser costs three page loads, ≈ 5 s of Chromium's CPU on this
    /// machine, against one. The journeys about signing in use <see cref="SignInThroughFormAsync"/>.
    /// </summary>
    public async Task<IPage> SignInAsync(string baseUrl, string email, string password, string culture = "en", string path = "/",
        int width = 1280, int height = 800, IEnumerable<string>? permissions = null)
    {
        var jar = new CookieContainer();
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) })
        {
            await http.GetAsync($"/culture/set?culture={culture}&redirectUri=%2F");
            var response = await http.SignInAsync(email, password);
            if (response.StatusCode != HttpStatusCode.Redirect || response.RedirectPath().StartsWith("/account/login", StringComparison.Ordinal))
                throw new InvalidOperationException($"Signing in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }
        var context = await NewContextAsync(baseUrl, culture, width, height, permissions);
        await context.AddCookiesAsync(jar.GetAllCookies().Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Url = baseUrl, HttpOnly = c.HttpOnly, Secure = c.Secure,
        }));
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await Assertions.Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        return page;
    }

    /// <summary>As a person signs in: picks the language on the sign-in page's link, types, submits, waits for the live circuit.</summary>
    public async Task<IPage> SignInThroughFormAsync(string baseUrl, string email, string password, string culture = "en", string path = "/",
        int width = 1280, int height = 800)
    {
        var context = await NewContextAsync(baseUrl, culture, width, height);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/culture/set?culture={culture}&redirectUri={Uri.EscapeDataString(path)}");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        return page;
    }

    // Permissions are granted before the first page loads, as a person's browser settings are: a page reads them when it
    // loads. A context with permissions is the full browser's (see DesktopChromiumPath).
    private async Task<IBrowserContext> NewContextAsync(string baseUrl, string culture, int width, int height, IEnumerable<string>? permissions = null)
    {
        var browser = Browser;
        if (permissions is not null)
        {
            if (!File.Exists(DesktopChromiumPath))
                throw new InvalidOperationException($"{DesktopChromiumPath} is missing: the README's test command installs Debian's chromium.");
            browser = _desktop ??= await LaunchAsync(DesktopChromiumPath);
        }
        return await browser.NewContextAsync(new()
        {
            BaseURL = baseUrl, Locale = culture, ViewportSize = new() { Width = width, Height = height }, ReducedMotion = ReducedMotion.Reduce,
            Permissions = permissions,
        });
    }

    /// <summary>
    /// Closes every page a test opened. An open page keeps its renderer process and its Blazor circuit alive, and once its
    /// app has stopped it keeps trying to reconnect: left open, a run's ≈ 150 pages took a large share of both cores.
    /// The browser collection runs one test at a time, so every open context is the finished test's.
    /// </summary>
    public async Task CloseContextsAsync()
    {
        foreach (var browser in new[] { Browser, _desktop }.OfType<IBrowser>())
        foreach (var context in browser.Contexts.ToList())
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException) when (!browser.IsConnected || !browser.Contexts.Contains(context))
            {
                // Already closed by the test (or with the browser): nothing is left to close.
            }
        }
        // A browser that died in a test fails that test; the next ones get a new one.
        if (!Browser.IsConnected) Browser = await LaunchAsync();
        if (_desktop is { IsConnected: false }) _desktop = null;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        if (_desktop is not null) await _desktop.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
