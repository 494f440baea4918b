using HitlConsole.Domain;
using HitlConsole.Features.Channels.Media;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>Inbound media: downloaded in a job through the Graph media endpoints, checked, kept once per workspace, and drafted for.</summary>
public sealed class WhatsAppMediaTests : IAsyncLifetime
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;
    private FakeGraphApi _graph = null!;
    private static readonly byte[] Photo = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

    public async Task InitializeAsync() => _graph = await FakeGraphApi.StartAsync();
    public async Task DisposeAsync() => await _graph.DisposeAsync();

    private Task<HitlAppFactory> AppAsync(DatabaseProvider provider, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true",
            ["Hangfire:PollInterval"] = "00:00:00.100",
            ["Demo:WhatsApp:GraphBaseUrl"] = _graph.BaseUrl,
            ["WhatsApp:MediaRetryDelay"] = "00:00:00.010",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return HitlAppFactory.CreateAsync(provider, settings);
    }

    private static async Task<HitlDbContext> Db(HitlAppFactory app) =>
        await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();

    private static object MediaMessage(string wamid, string type, string mediaId, string? caption = null) => new Dictionary<string, object?>
    {
        ["from"] = "34600111222", ["id"] = wamid, ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(), ["type"] = type,
        [type] = caption is null ? new { id = mediaId, mime_type = "image/jpeg" } : new { id = mediaId, mime_type = "image/jpeg", caption },
    };

    private static async Task ArriveAsync(HitlAppFactory app, params object[] messages) =>
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.CreateClient().PostSignedAsync(WhatsAppSender.Notification(messages))).StatusCode);

    private static Task<Message> SettledAsync(HitlAppFactory app, string wamid) =>
        Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            var m = await db.Messages.IgnoreQueryFilters().SingleOrDefaultAsync(x => x.ExternalId == wamid);
            return m is { MediaState: not MediaState.Pending } ? m : null;
        }, what: "the media of " + wamid);

    [Theory, MemberData(nameof(Providers))]
    public async Task A_photo_is_downloaded_with_the_channel_token_kept_once_however_often_the_job_runs_and_still_gets_a_draft(DatabaseProvider provider)
    {
        _graph.Media["media-1"] = new(Photo, "image/jpeg");
        _graph.Media["media-2"] = new(Photo, "image/jpeg"); // the same photo sent again
        await using var app = await AppAsync(provider);

        await ArriveAsync(app, MediaMessage("wamid.P1", "image", "media-1"));
        var first = await SettledAsync(app, "wamid.P1");
        Assert.Equal(MediaState.Stored, first.MediaState);
        Assert.Contains(_graph.Gets, g => g.PathAndQuery == "/v21.0/media-1" && g.Authorization == "Bearer test-access-token");
        Assert.Contains(_graph.Gets, g => g.PathAndQuery == "/download/media-1" && g.Authorization == "Bearer test-access-token");

        // The job again (a Hangfire retry, a repeated webhook), and the same bytes in another message: still one copy.
        var tenant = await app.Services.DemoTenantIdAsync();
        await app.Services.GetRequiredService<DownloadMediaJob>().RunAsync(tenant, first.Id, default);
        await ArriveAsync(app, MediaMessage("wamid.P1", "image", "media-1"), MediaMessage("wamid.P2", "image", "media-2"));
        var second = await SettledAsync(app, "wamid.P2");
        await app.QuietAsync();
        await using var db = await Db(app);
        var file = Assert.Single(await db.MediaFiles.IgnoreQueryFilters().ToListAsync());
        Assert.Equal((first.MediaFileId, second.MediaFileId), (file.Id, file.Id));
        Assert.Equal(Photo, file.Content);
        Assert.Equal(("image/jpeg", 3000L), (file.ContentType, file.SizeBytes));

        // No caption: the draft asks what the customer needs, for a person to review.
        var draft = await Eventually.GetAsync(async () =>
        {
            await using var d = await Db(app);
            return await d.Drafts.IgnoreQueryFilters().SingleOrDefaultAsync(x => x.MessageId == first.Id);
        }, what: "the draft of the photo");
        Assert.Equal((DraftState.Pending, "media"), (draft.State, draft.Classification));
        Assert.Equal(MediaReplies.AskWhatTheyNeed("en"), draft.Text);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Oversized_files_and_refused_types_are_not_kept_and_say_why(DatabaseProvider provider)
    {
        _graph.Media["big"] = new(Photo, "image/jpeg", AnnouncedSize: 50_000_000);
        _graph.Media["liar"] = new(Photo, "image/jpeg", AnnouncedSize: 100); // announces 100 bytes, streams 3000
        _graph.Media["exe"] = new(Photo, "application/x-msdownload");
        await using var app = await AppAsync(provider, new() { ["WhatsApp:MediaMaxBytes"] = "2048" });

        await ArriveAsync(app, MediaMessage("wamid.BIG", "document", "big"), MediaMessage("wamid.LIAR", "image", "liar"),
            MediaMessage("wamid.EXE", "document", "exe"));

        Assert.Equal(MediaState.TooLarge, (await SettledAsync(app, "wamid.BIG")).MediaState);
        Assert.Equal(MediaState.TooLarge, (await SettledAsync(app, "wamid.LIAR")).MediaState);
        Assert.Equal(MediaState.TypeRefused, (await SettledAsync(app, "wamid.EXE")).MediaState);
        Assert.DoesNotContain(_graph.Gets, g => g.PathAndQuery is "/download/big" or "/download/exe"); // refused before downloading
        await using var db = await Db(app);
        Assert.Empty(await db.MediaFiles.IgnoreQueryFilters().ToListAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_slow_download_is_tried_again_and_a_wrong_checksum_is_never_kept(DatabaseProvider provider)
    {
        _graph.Media["slow"] = new(Photo, "image/jpeg", SlowFirst: TimeSpan.FromSeconds(3));
        _graph.Media["tampered"] = new(Photo, "image/jpeg", Sha256: new string('0', 64));
        await using var app = await AppAsync(provider, new() { ["WhatsApp:MediaTimeout"] = "00:00:00.500" });

        await ArriveAsync(app, MediaMessage("wamid.SLOW", "image", "slow"));
        Assert.Equal(MediaState.Stored, (await SettledAsync(app, "wamid.SLOW")).MediaState);
        Assert.True(_graph.Gets.Count(g => g.PathAndQuery == "/download/slow") >= 2);

        // Checksum mismatch: not kept; the job fails so Hangfire tries again later.
        await ArriveAsync(app, MediaMessage("wamid.TAMPER", "image", "tampered"));
        var tampered = await SettledAsync(app, "wamid.TAMPER");
        Assert.Equal((MediaState.Failed, null), (tampered.MediaState, tampered.MediaFileId));
        await using var scope = app.Services.ForTenant(tampered.TenantId);
        await Assert.ThrowsAsync<MediaDownloadException>(() => scope.ServiceProvider.GetRequiredService<DownloadMedia>().HandleAsync(tampered.Id, default));
        await using var db = await Db(app);
        Assert.Single(await db.MediaFiles.IgnoreQueryFilters().ToListAsync()); // the slow photo only
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Media_left_pending_by_a_stop_before_its_job_is_downloaded_by_the_sweep(DatabaseProvider provider)
    {
        _graph.Media["orphan"] = new(Photo, "image/jpeg");
        await using var app = await AppAsync(provider);
        await ArriveAsync(app, WhatsAppSender.TextMessage("wamid.T1", "hello"));
        await using (var db = await Db(app))
        {
            // As if the app stopped after storing the message and before handing it to a job.
            var text = await db.Messages.IgnoreQueryFilters().SingleAsync(m => m.ExternalId == "wamid.T1");
            await db.Messages.IgnoreQueryFilters().Where(m => m.Id == text.Id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.MediaId, "orphan").SetProperty(m => m.MediaState, MediaState.Pending)
                .SetProperty(m => m.CreatedUtc, DateTime.UtcNow.AddMinutes(-10)));
        }

        Assert.Equal(1, await app.Services.GetRequiredService<SweepMediaJob>().RunAsync(default));

        Assert.Equal(MediaState.Stored, (await SettledAsync(app, "wamid.T1")).MediaState);
        Assert.Equal(0, await app.Services.GetRequiredService<SweepMediaJob>().RunAsync(default));
    }
}
