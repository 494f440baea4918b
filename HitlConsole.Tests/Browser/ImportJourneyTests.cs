using System.Text;
using HitlConsole.Domain;
using HitlConsole.Features.Knowledge.Import;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>An Admin imports the Bitext CSV: upload, detected shape, suggested mapping, live progress, report, then finds an entry.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: true)
{
    [Theory]
    [InlineData("en", "Import finished.")]
    [InlineData("es", "Importación terminada.")]
    public async Task An_admin_imports_the_bitext_file_and_finds_an_entry(string culture, string finished)
    {
        var dataset = Repo.PathOf("eval", "data", "bitext", "customer_support_intents.csv"); // the repository's copy, with its LICENSE
        Assert.True(File.Exists(dataset), dataset);
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/knowledge", 1400, 950);
        var elsewhere = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/knowledge", 1200, 800);

        await page.GetByTestId("kb-import").ClickAsync();
        // Blazor wires the file input's change handler after the dialog renders (its init stamps the element); a file chosen
        // before that is never read, and the dialog waits for ever — what a loaded CI machine once showed.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=import-wizard] input[type=file]')?._blazorInputFileNextFileId !== undefined",
            null, new() { Timeout = 30_000 });
        await page.Locator("[data-testid=import-wizard] input[type=file]").SetInputFilesAsync(dataset);
        // 3.4 MB through the circuit, then a format sniff: alone ≈ 5 s, but in full-suite runs on 2 cores it has taken over a
        // minute (choosing the file again restarts the upload, so the test waits instead).
        await Expect(page.GetByTestId("import-preview")).ToBeVisibleAsync(new() { Timeout = 150_000 });
        await Expect(page.GetByTestId("import-detected")).ToContainTextAsync("UTF-8");
        // Suggested from the headers: instruction → question, response → answer.
        await Expect(page.Locator("[data-testid=import-map-question]").Locator("xpath=..")).ToContainTextAsync("instruction");
        // Every intent of the file is one the assistant classifies into: no warning about unknown intents.
        await Expect(page.GetByTestId("import-detected-languages")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("import-unknown-intents")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-import-mapping-{culture}.png") });

        // "Replace all" says how many entries it would delete and waits for a yes; cancelled, nothing starts.
        await page.GetByTestId("import-mode-replace").ClickAsync();
        await page.GetByTestId("import-start").ClickAsync();
        var confirm = page.Locator(".mud-dialog").Filter(new() { HasText = culture == "es" ? "Sustituir todo elimina las" : "Replace all deletes the" });
        await Expect(confirm).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d[\d.,]* (entries|entradas)"));
        await confirm.GetByRole(AriaRole.Button, new() { Name = culture == "es" ? "Cancelar" : "Cancel" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(page.GetByTestId("import-progress")).ToBeHiddenAsync();
        await page.GetByTestId("import-mode-append").ClickAsync();

        await page.GetByTestId("import-start").ClickAsync();
        await Expect(page.GetByTestId("import-progress")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("import-wizard").GetByText(finished)).ToBeVisibleAsync(new() { Timeout = 90_000 });
        // Counts in the person's own number format (a thousands separator: 4,514 / 4.514).
        await Expect(page.GetByTestId("import-read")).ToHaveTextAsync(culture == "es" ? "4.514" : "4,514");
        // The demo already holds the training part: rows whose answer the demo kept as it is are duplicates; the held-out
        // ones, and those whose demo answer was cleaned (another customer's order number, menu labels as placeholders), are new.
        var number = System.Globalization.CultureInfo.GetCultureInfo(culture);
        var inserted = int.Parse(await page.GetByTestId("import-inserted").InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, number);
        var duplicates = int.Parse(await page.GetByTestId("import-duplicates").InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, number);
        Assert.Equal(4514, inserted + duplicates);
        // 2,193 since "24/7", bracketed labels and the swear words in questions ("my fucking shipment") are cleaned too.
        Assert.InRange(inserted, 2100, 2250);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-import-report-{culture}.png") });
        // Another open knowledge page of the workspace followed the same import live.
        await Expect(elsewhere.GetByTestId("import-banner")).ToContainTextAsync(finished);
        // The new rows are found by their words at once and by meaning once the sweep has given them vectors: the page says so
        // until then, and the note goes when the last one has its vector.
        await Expect(elsewhere.GetByTestId("kb-meaning-backlog")).ToContainTextAsync(culture == "es" ? "búsqueda por significado" : "search by meaning");
        await Expect(elsewhere.GetByTestId("kb-meaning-backlog")).ToBeHiddenAsync(new() { Timeout = 120_000 });

        // The dialog's own button: the banner behind it (the finished import) has a close button of the same name.
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = culture == "es" ? "Cerrar" : "Close" }).ClickAsync();
        await BrowserFixture.Field(page, "kb-search").FillAsync("acnceling order 00123842");
        await Expect(page.GetByTestId("kb-row").First).ToContainTextAsync("acnceling order 00123842", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task An_import_a_restart_cut_off_is_on_the_knowledge_page_when_an_admin_next_opens_it()
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        await using (var scope = App.Services.ForTenant(tenant, await App.Services.UserIdAsync(tenant, DemoUsers.Admin)))
        {
            var start = scope.ServiceProvider.GetRequiredService<StartImport>();
            var preview = await start.UploadAsync("faq.csv", new MemoryStream(Encoding.UTF8.GetBytes("question,answer\nA?,B.\n")), default);
            await start.QueueAsync(preview.ImportId, preview.Suggested, ImportMode.Append, null, "es", default, enqueue: false);
            await using var db = await App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            await db.KnowledgeImports.IgnoreQueryFilters().Where(i => i.Id == preview.ImportId)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Running)); // as a killed process left it
            await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(preview.ImportId, default); // its job, delivered again
        }

        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/knowledge", 390, 844);
        var banner = page.GetByTestId("import-banner");
        await Expect(banner).ToContainTextAsync("La importación ha fallado.");
        await Expect(page.GetByTestId("import-banner-reason")).ToContainTextAsync("se interrumpió porque el servidor se detuvo");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-import-interrupted-es-phone.png") });
        await banner.GetByRole(AriaRole.Button, new() { Name = "Cerrar" }).ClickAsync();
        await Expect(banner).ToBeHiddenAsync();
    }
}
