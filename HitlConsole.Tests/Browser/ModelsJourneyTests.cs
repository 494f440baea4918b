using HitlConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>An Admin connects a local LLM server: presets, test connection, model list, masked key, sandbox.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModelsJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: false)
{
    [Theory]
    [InlineData("en", "Connected", "Primary")]
    [InlineData("es", "Conectado", "Principal")]
    public async Task An_admin_adds_a_local_model_tests_it_and_tries_a_message(string culture, string connected, string primary)
    {
        await using var server = new FakeOpenAiServer();
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/agent-config/models", 1400, 900);
        await Expect(page.GetByTestId("models-default")).ToBeVisibleAsync();

        // The built-in model drafts out of the box.
        await BrowserFixture.Field(page, "sandbox-text").FillAsync("I forgot my password");
        await page.GetByTestId("sandbox-run").ClickAsync();
        await Expect(page.GetByTestId("sandbox-intent")).ToHaveTextAsync(culture == "es" ? "Recuperar la contraseña" : "Recover password");
        await Expect(page.GetByTestId("sandbox-source")).Not.ToHaveCountAsync(0);
        // Listed by the score they show, the entry the reply came from marked among them.
        await Expect(page.GetByTestId("sandbox-source-used")).ToHaveCountAsync(1);
        var scores = (await page.GetByTestId("sandbox-source").AllInnerTextsAsync())
            .Select(t => double.Parse(t.Split('·')[0].Trim(), System.Globalization.CultureInfo.GetCultureInfo(culture))).ToList();
        Assert.Equal(scores.OrderByDescending(x => x), scores);
        // A greeting is about no intent: the chip says what it is, as the inbox's does, not an empty dash.
        await BrowserFixture.Field(page, "sandbox-text").FillAsync(culture == "es" ? "hola" : "hi there");
        await page.GetByTestId("sandbox-run").ClickAsync();
        await Expect(page.GetByTestId("sandbox-intent")).ToHaveTextAsync(culture == "es" ? "Un saludo" : "A greeting");
        // Answered without the knowledge: no empty "Knowledge found" heading under it.
        await Expect(page.GetByText(culture == "es" ? "Conocimiento encontrado" : "Knowledge found", new() { Exact = true })).ToHaveCountAsync(0);
        await BrowserFixture.Field(page, "sandbox-text").FillAsync("I forgot my password");

        await page.GetByTestId("model-add").ClickAsync();
        await BrowserFixture.Field(page, "model-name").FillAsync("LM Studio on my laptop");
        await BrowserFixture.Field(page, "model-base-url").FillAsync(server.BaseUrl);
        await BrowserFixture.Field(page, "model-api-key").FillAsync("sk-local-key-9876");
        await page.GetByTestId("model-test").ClickAsync();
        await Expect(page.GetByTestId("model-test-result")).ToContainTextAsync(connected);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-model-dialog-{culture}.png") });
        await page.GetByTestId("model-save").ClickAsync();

        await Expect(page.GetByTestId("model-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("model-row")).ToContainTextAsync(primary);
        await Expect(page.GetByTestId("model-key-mask")).ToContainTextAsync(culture == "es" ? "termina en …9876" : "ends in …9876");
        Assert.DoesNotContain("sk-local-key-9876", await page.ContentAsync());
        // The first model took the built-in one's place: the page says so, and one click puts it back as the last fallback.
        await page.GetByTestId("models-add-fallback").ClickAsync();
        await Expect(page.GetByTestId("model-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("models-no-fallback")).ToHaveCountAsync(0);

        // Drafts now come from the server, through the same path the conversations use.
        server.ThenJson(new { reply = "Use the reset link on the sign-in page.", intent = "recover_password", confidence = 91, classification = "answer" });
        await page.GetByTestId("sandbox-run").ClickAsync();
        await Expect(page.GetByTestId("sandbox-reply")).ToHaveTextAsync("Use the reset link on the sign-in page.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"admin-models-{culture}.png"), FullPage = true });
        Assert.Contains(server.Requests, r => r.Authorization == "Bearer sk-local-key-9876");
    }

    [Theory]
    [InlineData("es", 390, 2)]
    [InlineData("en", 390, 2)]
    [InlineData("es", 1400, 1)]
    public async Task The_model_dialog_s_number_labels_read_whole_on_a_phone(string culture, int width, int rows)
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/agent-config/models", width, 844);
        await page.GetByTestId("model-add").ClickAsync();
        var numbers = page.GetByTestId("model-numbers");
        await Expect(numbers).ToBeVisibleAsync();
        // "Tiempo de espera (s)" was cut to "Tiempo de espera…" beside the other two: the third wraps below on a phone.
        var measured = await numbers.EvaluateAsync<double[]>("""
            row => { const labels = [...row.querySelectorAll('label')];
                     return [labels.length, labels.filter(l => l.scrollWidth > l.clientWidth + 1).length,
                             new Set([...row.children].map(c => Math.round(c.getBoundingClientRect().top))).size]; }
            """);
        Assert.Equal(3, measured[0]);
        Assert.Equal(0, measured[1]);
        Assert.Equal(rows, measured[2]);

        // The temperature reads and writes the UI's decimal separator: "0,7" in Spanish was read as 7 and clamped to 2.
        var decimalSeparator = new System.Globalization.CultureInfo(culture).NumberFormat.NumberDecimalSeparator;
        var temperature = numbers.Locator("input").First;
        await Expect(temperature).ToHaveValueAsync($"0{decimalSeparator}2");
        await temperature.FillAsync($"0{decimalSeparator}7");
        await temperature.PressAsync("Tab");
        await Expect(temperature).ToHaveValueAsync($"0{decimalSeparator}7");
    }
}
