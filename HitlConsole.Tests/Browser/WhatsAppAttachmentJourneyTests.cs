using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>
/// A customer asks on WhatsApp for a photo; the agent reviewing the draft tries a file WhatsApp would refuse (told why, in the UI
/// language, before anything is uploaded), attaches an image instead, sends the reply, and sees the photo in the timeline with its tick.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WhatsAppAttachmentJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGOQ63hKEmIY1TCqYfhqAAA3dIsQTZ7oXQAAAABJRU5ErkJggg==");

    private FakeGraphApi _graph = null!;
    private HitlAppFactory _app = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true",
            ["Hangfire:PollInterval"] = "00:00:00.100",
            ["Demo:WhatsApp:GraphBaseUrl"] = _graph.BaseUrl,
            ["Pipeline:AutoSendIntents:0"] = "none",
        });
        _url = _app.StartKestrel(); // before anything touches Services: that would build a host without Kestrel
    }

    public async Task DisposeAsync()
    {
        await browser.CloseContextsAsync();
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Theory]
    [InlineData("en", "This file type cannot be sent on WhatsApp")]
    [InlineData("es", "Este tipo de archivo no se puede enviar por WhatsApp")]
    public async Task An_agent_attaches_an_image_to_a_reply_and_sends_it(string culture, string refusal)
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, "/inbox", 1400, 900);
        (await _app.CreateClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.PHOTO", "Can you send me a photo of my parcel?")])))
            .EnsureSuccessStatusCode();
        Guid conversationId;
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            conversationId = await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == "wamid.PHOTO").Select(m => m.ConversationId).SingleAsync();

        await page.GotoAsync($"/inbox/{conversationId}");
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("draft-approve")).ToBeEnabledAsync(new() { Timeout = 30_000 });

        await Expect(page.Locator("[data-testid=reply-attach-area][data-ready=true]")).ToBeAttachedAsync(new() { Timeout = 15_000 });
        // A file WhatsApp would refuse is refused here, in the UI language, before any upload.
        await page.GetByTestId("reply-attach").SetInputFilesAsync(new FilePayload { Name = "setup.exe", MimeType = "application/octet-stream", Buffer = [1, 2, 3] });
        await Expect(page.GetByTestId("reply-attach-error")).ToContainTextAsync(refusal);
        Assert.Empty(_graph.Uploads);

        await page.GetByTestId("reply-attach").SetInputFilesAsync(new FilePayload { Name = "parcel.png", MimeType = "image/png", Buffer = Png });
        await Expect(page.GetByTestId("reply-attachment")).ToContainTextAsync("parcel.png");
        await Expect(page.GetByTestId("reply-attach-error")).ToHaveCountAsync(0);
        // The attachment survives a reload while the reply is unsent.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("app-ready")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("reply-attachment")).ToContainTextAsync("parcel.png", new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"whatsapp-attach-compose-{culture}.png") });

        await page.GetByTestId("draft-approve").ClickAsync();
        var sent = page.GetByTestId("message-bubble").Filter(new() { Has = page.GetByTestId("message-media") })
            .Filter(new() { Has = page.GetByTestId("message-status") });
        await Expect(sent).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(sent.GetByTestId("message-status")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = 15_000 });
        await Expect(sent.Locator("img")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("reply-attachment")).ToHaveCountAsync(0);
        var upload = Assert.Single(_graph.Uploads);
        Assert.Equal(("parcel.png", "image/png"), (upload.FileName, upload.Type));
        var request = Assert.Single(_graph.Requests, r => r.Body.TryGetProperty("image", out _));
        Assert.Equal("media.UP1", request.Body.GetProperty("image").GetProperty("id").GetString());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"whatsapp-attach-sent-{culture}.png") });
    }
}
