using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>An Admin curates the knowledge base: search by meaning, filter, edit with validation, bulk deactivate.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KnowledgeJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: false)
{
    [Theory]
    [InlineData("en", "entries", "Entry saved.")]
    [InlineData("es", "entradas", "Entrada guardada.")]
    public async Task An_admin_finds_an_entry_edits_it_and_deactivates_a_selection(string culture, string entries, string saved)
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/knowledge", 1400, 900);
        await Expect(page.GetByTestId("kb-count")).ToContainTextAsync(
            $"{HitlAppFactory.DemoKnowledgeEntries.ToString("N0", new System.Globalization.CultureInfo(culture))} {entries}"); // 3.661 / 3,661, as on the home page

        await BrowserFixture.Field(page, "kb-search").FillAsync("i lost the receipt for my taxes");
        await Expect(page.GetByTestId("kb-row").First).ToContainTextAsync("invoice", new() { IgnoreCase = true, Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-knowledge-search-{culture}.png") });

        await page.GetByTestId("kb-row").First.ClickAsync();
        var answer = BrowserFixture.Field(page, "kb-edit-answer");
        await Expect(answer).Not.ToBeEmptyAsync(); // the entry has loaded into the editor (as a person would wait to see it)
        // The intent reads as a name in the screen's language, not as its code.
        await Expect(BrowserFixture.Field(page, "kb-edit-intent")).Not.ToHaveValueAsync(new System.Text.RegularExpressions.Regex("_|^$"));
        await Expect(BrowserFixture.Field(page, "kb-edit-category")).Not.ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^[A-Z_]+$|^$")); // so does the category
        // The counter shows the circuit has the emptied text; on a loaded machine a click could otherwise outrun it. Seen once
        // under full load: the editor's first render reached the browser after the emptying and put the answer back, so
        // the emptying is repeated as a person would, at most three times.
        var emptied = page.GetByText($"0 / {HitlConsole.Features.Knowledge.ManageKnowledge.MaxAnswer}");
        for (var attempt = 1; ; attempt++)
        {
            await answer.FillAsync("");
            try
            {
                await Expect(emptied).ToBeVisibleAsync(new() { Timeout = 5_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3) { }
        }
        await page.GetByTestId("kb-edit-save").ClickAsync();
        await Expect(page.Locator(".mud-input-helper-text.mud-input-error").First).ToBeVisibleAsync(); // refused, field error shown
        await answer.FillAsync("You can download every invoice as a PDF under Orders › Invoices.");
        await Expect(page.Locator(".mud-input-helper-text.mud-input-error")).ToHaveCountAsync(0); // the error goes with the edit
        await page.GetByTestId("kb-edit-save").ClickAsync();
        await Expect(page.GetByText(saved)).ToBeVisibleAsync();
        await Expect(page.GetByTestId("kb-row").First).ToBeVisibleAsync();
        // Opening a row to edit it selects nothing: a bulk action must never reach an entry whose box nobody ticked.
        await Expect(page.GetByTestId("kb-bulk")).ToBeHiddenAsync();

        // Select two rows and deactivate them.
        var checkboxes = page.Locator("[data-testid=kb-grid] tbody input[type=checkbox]");
        await checkboxes.Nth(0).CheckAsync();
        await checkboxes.Nth(1).CheckAsync();
        await Expect(page.GetByTestId("kb-bulk")).ToBeVisibleAsync();
        await page.GetByTestId("kb-bulk-deactivate").ClickAsync();
        await Expect(page.GetByTestId("kb-bulk")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-knowledge-{culture}.png") });
    }

    [Fact]
    public async Task An_admin_deletes_an_entry_from_its_editor_after_confirming_there()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/knowledge", 1400, 900);
        var es = new System.Globalization.CultureInfo("es");
        await Expect(page.GetByTestId("kb-count")).ToContainTextAsync(HitlAppFactory.DemoKnowledgeEntries.ToString("N0", es));
        // Escape closes an untouched entry; with a change it asks first, and keeping on editing loses nothing.
        await page.GetByTestId("kb-row").First.ClickAsync();
        await Expect(BrowserFixture.Field(page, "kb-edit-answer")).Not.ToBeEmptyAsync();
        await BrowserFixture.Field(page, "kb-edit-answer").PressAsync("Escape");
        // Under a full run's load the first key, pressed as the editor appears, was once lost (1 run in 4): nothing happened, no
        // question either. A second press then closes it; asking to discard an untouched entry still fails below.
        try { await Expect(page.GetByTestId("kb-edit-save")).ToHaveCountAsync(0, new() { Timeout = 3_000 }); }
        catch (PlaywrightException)
        {
            if (await page.GetByTestId("kb-edit-discard-question").CountAsync() == 0)
                await BrowserFixture.Field(page, "kb-edit-answer").PressAsync("Escape");
        }
        await Expect(page.GetByTestId("kb-edit-discard-question")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("kb-edit-save")).ToHaveCountAsync(0);
        await page.GetByTestId("kb-row").First.ClickAsync();
        var answer = BrowserFixture.Field(page, "kb-edit-answer");
        await Expect(answer).Not.ToBeEmptyAsync();
        var original = await answer.InputValueAsync();
        await answer.PressAsync("End");
        await answer.PressSequentiallyAsync(" Gracias.");
        await answer.PressAsync("Escape");
        await Expect(page.GetByTestId("kb-edit-discard-question")).ToHaveTextAsync("¿Descartar los cambios de esta entrada?");
        // On a phone the question takes its own line and the two buttons fit beside each other below it, each label on one line.
        await page.SetViewportSizeAsync(390, 844);
        var keep = (await page.GetByTestId("kb-edit-keep").BoundingBoxAsync())!;
        var discard = (await page.GetByTestId("kb-edit-discard").BoundingBoxAsync())!;
        var asked = (await page.GetByTestId("kb-edit-discard-question").BoundingBoxAsync())!;
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-knowledge-discard-es-phone.png") });
        Assert.True(keep.Height < 44 && discard.Height < 44, $"a label wrapped: {keep.Height} / {discard.Height} px high");
        Assert.True(discard.X + discard.Width <= 390 - 8, $"the discard button reaches {discard.X + discard.Width} px");
        Assert.True(keep.Y >= asked.Y + asked.Height, "the buttons share the question's line");
        await page.SetViewportSizeAsync(1400, 900);
        await page.GetByTestId("kb-edit-keep").ClickAsync();
        await Expect(answer).ToHaveValueAsync(original + " Gracias.");
        await answer.PressAsync("Escape");
        await page.GetByTestId("kb-edit-discard").ClickAsync();
        await Expect(page.GetByTestId("kb-edit-save")).ToHaveCountAsync(0);

        await page.GetByTestId("kb-row").First.ClickAsync();
        await Expect(BrowserFixture.Field(page, "kb-edit-answer")).ToHaveValueAsync(original);
        var question = await BrowserFixture.Field(page, "kb-edit-question").InputValueAsync();
        var factory = App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        async Task<int> WithQuestionAsync()
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.KnowledgeEntries.IgnoreQueryFilters().CountAsync(e => e.Question == question);
        }
        var before = await WithQuestionAsync();

        // Delete asks first, in the dialog; going back keeps the entry and the editor open.
        await page.GetByTestId("kb-edit-delete").ClickAsync();
        await Expect(page.GetByTestId("kb-edit-delete-question")).ToContainTextAsync("¿Eliminar 1 entrada?");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-knowledge-delete-es.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancelar", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("kb-edit-save")).ToBeVisibleAsync();
        await page.GetByTestId("kb-edit-delete").ClickAsync();
        await page.GetByTestId("kb-edit-delete-confirm").ClickAsync();

        await Expect(page.GetByText("1 entrada eliminada.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("kb-edit-save")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("kb-count")).ToContainTextAsync((HitlAppFactory.DemoKnowledgeEntries - 1).ToString("N0", es));
        Assert.Equal(before - 1, await WithQuestionAsync());
    }
}
