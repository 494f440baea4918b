using HitlConsole.Tests.Features.Localization;
using HitlConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>
/// What only a live circuit shows — the main dialogs, open menus, a selected knowledge row, a version comparison, a sandbox
/// answer — read in Spanish by the same checker as every page (<see cref="UiText"/>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SpanishDialogsJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: false)
{
    [Fact]
    public async Task The_main_dialogs_and_live_states_in_spanish_show_no_english_no_raw_placeholder_and_no_key()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/", 1366, 900);
        var findings = new List<UiText.Finding>();

        async Task CheckAsync(string where)
        {
            await page.WaitForTimeoutAsync(300); // popovers and dialogs animate in
            findings.AddRange(UiText.Check(where, await page.ContentAsync()));
        }

        async Task OpenAsync(string path, string ready)
        {
            await page.GotoAsync(path);
            await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
            await Expect(page.GetByTestId(ready).First).ToBeVisibleAsync();
        }

        async Task DialogAsync(string path, string opener, string name)
        {
            await OpenAsync(path, opener);
            await page.GetByTestId(opener).First.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
            await CheckAsync(name);
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"dialog-{name}-es.png") });
        }

        await DialogAsync("/admin/users", "user-create", "new-user");
        await page.GetByTestId("new-user-save").ClickAsync(); // the validation messages too
        await CheckAsync("new-user validation");
        await DialogAsync("/admin/users", "user-reset", "reset-password");
        await DialogAsync("/knowledge", "kb-new", "knowledge-entry");
        await DialogAsync("/knowledge", "kb-import", "knowledge-import");
        await DialogAsync("/agent-config/models", "model-add", "model-profile");
        await DialogAsync("/platform/workspaces", "workspace-create", "workspace-create");

        // A selected knowledge row shows the bulk bar and its counts.
        await OpenAsync("/knowledge", "kb-grid");
        await page.Locator("[data-testid=kb-grid] tbody input[type=checkbox]").First.CheckAsync();
        await CheckAsync("knowledge selection");

        // Analytics' filter menus.
        await OpenAsync("/analytics", "analytics-intent");
        await page.GetByTestId("analytics-channel").ClickAsync();
        await CheckAsync("analytics channel menu");

        // The audit log: sentences and changed fields, nothing wider than a 1366 px screen.
        await OpenAsync("/admin/users", "user-create"); // make a change worth reading: a role
        await page.GetByTestId("user-create").ClickAsync();
        await page.Locator("input[data-testid=new-user-name]").FillAsync("Rosa Revisora");
        await page.Locator("input[data-testid=new-user-email]").FillAsync("rosa@demo.local");
        await page.Locator("input[data-testid=new-user-password]").FillAsync("RosaPass2026x");
        await page.GetByTestId("new-user-save").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await OpenAsync("/admin/audit", "audit-row");
        await Expect(page.GetByTestId("audit-row").First).ToContainTextAsync("creó un usuario");
        await Expect(page.GetByTestId("audit-field").First).ToBeVisibleAsync();
        await CheckAsync("audit");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "the audit log is wider than the screen");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-audit-es.png") });

        var report = UiText.Describe(findings);
        Assert.True(findings.Count == 0, "Not Spanish:\n" + report);
    }
}
