using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>
/// An Admin syncs the WhatsApp templates under Channels; a customer's 24-hour window has closed; the Admin re-engages them with
/// a template in their language (prefilled name, one value typed), and watches its ticks move as Meta's receipts arrive.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WhatsAppTemplateJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;
    private HitlAppFactory _app = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _graph.Templates.AddRange(
        [
            new("order_update", "en", "Hi {{1}}, your order {{2}} has news. Reply to continue."),
            new("order_update", "es", "Hola {{1}}, tu pedido {{2}} tiene novedades. Responde para continuar."),
            new("black_friday", "en", "Deals for you, {{1}}!", Status: "PAUSED", Category: "MARKETING"),
        ]);
        _app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true",
            ["Hangfire:PollInterval"] = "00:00:00.100",
            ["Demo:WhatsApp:GraphBaseUrl"] = _graph.BaseUrl,
        });
        _url = _app.StartKestrel(); // before anything touches Services: that would build a host without Kestrel
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        await db.Channels.IgnoreQueryFilters().Where(c => c.Kind == ChannelKind.WhatsAppCloud)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.BusinessAccountId, "200000000000002"));
    }

    public async Task DisposeAsync()
    {
        await browser.CloseContextsAsync();
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Theory]
    [InlineData("en", "Hi Carla Cliente, your order 4411223", "order_update · en")]
    [InlineData("es", "Hola Carla Cliente, tu pedido 4411223", "order_update · es")]
    public async Task A_template_reaches_a_customer_whose_window_has_closed(string culture, string preview, string picked)
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Admin, HitlAppFactory.DemoPassword, culture, "/agent-config/channels", 1400, 900);
        await page.GetByTestId("template-sync").ClickAsync();
        await Expect(page.GetByTestId("template-row")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("template-sync-result")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"whatsapp-templates-{culture}.png") });

        // The customer wrote yesterday, in the language of this run.
        var client = _app.CreateClient();
        (await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.YESTERDAY", "hello / hola")]))).EnsureSuccessStatusCode();
        // The message's draft first: arriving while the page opens, it re-renders the composer under the click below. And the
        // draft job writes the language it detects, so the language of this run is set after it.
        await Eventually.GetAsync(async () =>
        {
            await using var db = await _app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.Drafts.IgnoreQueryFilters().AnyAsync(d => db.Messages.IgnoreQueryFilters()
                .Any(m => m.Id == d.MessageId && m.ExternalId == "wamid.YESTERDAY")) ? "drafted" : null;
        }, 60, "the draft of yesterday's message");
        Guid conversationId;
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            await db.Contacts.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(c => c.LastInboundUtc, DateTime.UtcNow.AddHours(-25)));
            await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == "wamid.YESTERDAY").ExecuteUpdateAsync(s => s.SetProperty(m => m.Language, culture));
            conversationId = await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == "wamid.YESTERDAY").Select(m => m.ConversationId).SingleAsync();
        }

        await page.GotoAsync($"/inbox/{conversationId}");
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("window-countdown")).ToBeVisibleAsync();
        await page.GetByTestId("template-open").ClickAsync();
        await Expect(page.GetByTestId("template-pick")).ToContainTextAsync(picked);
        var values = page.Locator("input[data-testid=template-param], [data-testid=template-param] input");
        await Expect(values).ToHaveCountAsync(2);
        await Expect(values.Nth(0)).ToHaveValueAsync("Carla Cliente");
        await values.Nth(1).FillAsync("4411223");
        await Expect(page.GetByTestId("template-preview")).ToContainTextAsync(preview);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"whatsapp-template-compose-{culture}.png") });
        await page.GetByTestId("template-send").ClickAsync();

        var sent = page.GetByTestId("message-bubble").Filter(new() { Has = page.GetByTestId("message-template") });
        await Expect(sent).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(sent).ToContainTextAsync(preview);
        await Expect(sent.GetByTestId("message-status")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = 15_000 });
        var request = Assert.Single(_graph.Requests);
        Assert.Equal(culture, request.Body.GetProperty("template").GetProperty("language").GetProperty("code").GetString());

        // Receipts arrive out of order: read first, then a late delivered; the tick stays on read.
        var wamid = "wamid.OUT1";
        await client.PostSignedAsync(WhatsAppSender.Notification(statuses: [new { id = wamid, status = "read", timestamp = "1700000000", recipient_id = "34600111222" }]));
        await client.PostSignedAsync(WhatsAppSender.Notification(statuses: [new { id = wamid, status = "delivered", timestamp = "1700000000", recipient_id = "34600111222" }]));
        await Expect(sent.GetByTestId("message-status")).ToHaveAttributeAsync("data-status", "read", new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"whatsapp-template-sent-{culture}.png") });
    }
}
