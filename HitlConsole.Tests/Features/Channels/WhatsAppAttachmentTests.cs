using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Inbox.Attachments;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>
/// An agent attaches an image or a document to a reply: refused before upload when WhatsApp would refuse it, kept in the
/// workspace first, uploaded once through the Graph media endpoint, then sent with its media id; failures retried like sends.
/// </summary>
public sealed class WhatsAppAttachmentTests : IAsyncLifetime
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;
    private FakeGraphApi _graph = null!;

    public async Task InitializeAsync() => _graph = await FakeGraphApi.StartAsync();
    public async Task DisposeAsync() => await _graph.DisposeAsync();

    /// <summary>A tiny file that starts like a PNG (the signature is what the check reads).</summary>
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4, 5, 6, 7, 8];

    private Task<HitlAppFactory> AppAsync(DatabaseProvider provider, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true",
            ["Hangfire:PollInterval"] = "00:00:00.100",
            ["Demo:WhatsApp:GraphBaseUrl"] = _graph.BaseUrl,
            ["Pipeline:SendRetryDelay"] = "00:00:00.010",
            ["Pipeline:AutoSendIntents:0"] = "none",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return HitlAppFactory.CreateAsync(provider, settings);
    }

    private static async Task<HitlDbContext> Db(HitlAppFactory app) =>
        await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();

    private static async Task<AsyncServiceScope> AgentAsync(HitlAppFactory app)
    {
        var tenant = await app.Services.DemoTenantIdAsync();
        return app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
    }

    private static async Task<AttachFile.Result> AttachAsync(HitlAppFactory app, string name, byte[] content)
    {
        await using var scope = await AgentAsync(app);
        return await scope.ServiceProvider.GetRequiredService<AttachFile>().HandleAsync(name, content.Length, new MemoryStream(content), default);
    }

    /// <summary>The customer writes (the window opens); an agent answers by hand with a file attached.</summary>
    private static async Task<List<Message>> ReplyAsync(HitlAppFactory app, string wamid, string text, string name, byte[] content)
    {
        var response = await app.CreateClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage(wamid, "can you send me the invoice?")]));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Guid conversationId;
        await using (var db = await Db(app))
            conversationId = await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == wamid).Select(m => m.ConversationId).SingleAsync();
        var stored = Assert.IsType<AttachFile.Result.Stored>(await AttachAsync(app, name, content));
        await using var scope = await AgentAsync(app);
        Assert.IsType<ReviewDraft.Result.Sent>(await scope.ServiceProvider.GetRequiredService<ReviewDraft>()
            .SendOwnReplyAsync(conversationId, text, default, stored.Attachment.FileId));
        await using var read = await Db(app);
        return await read.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Outbound)
            .OrderBy(m => m.SentUtc).ToListAsync();
    }

    private static Task<Message> MessageAsync(HitlAppFactory app, Guid id, Func<Message, bool> done, string what) =>
        Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            var m = await db.Messages.IgnoreQueryFilters().SingleAsync(x => x.Id == id);
            return done(m) ? m : null;
        }, what: what);

    private static async Task<List<SendAttempt>> AttemptsAsync(HitlAppFactory app, Guid messageId)
    {
        await using var db = await Db(app);
        return await db.SendAttempts.IgnoreQueryFilters().Where(a => a.MessageId == messageId).OrderBy(a => a.Number).ToListAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Files_attached_but_never_sent_are_deleted_after_three_days_and_a_sent_file_is_kept(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var sent = Assert.Single(await ReplyAsync(app, "wamid.ATTPURGE", "Here is the photo.", "parcel.png", Png));
        var abandoned = Assert.IsType<AttachFile.Result.Stored>(await AttachAsync(app, "terms.txt", "Terms, never sent"u8.ToArray())).Attachment.FileId;
        var fresh = Assert.IsType<AttachFile.Result.Stored>(await AttachAsync(app, "notes.txt", "Attached a moment ago"u8.ToArray())).Attachment.FileId;
        var old = DateTime.UtcNow - PurgeUnsentAttachments.KeepFor - TimeSpan.FromHours(1);
        await using (var db = await Db(app))
            await db.MediaFiles.IgnoreQueryFilters().Where(f => f.Id == sent.MediaFileId || f.Id == abandoned)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.CreatedUtc, old));

        Assert.Equal(1, await app.Services.GetRequiredService<PurgeUnsentAttachments>().HandleAsync(default));

        await using var read = await Db(app);
        var left = await read.MediaFiles.IgnoreQueryFilters().Select(f => f.Id).ToListAsync();
        Assert.DoesNotContain(abandoned, left);
        Assert.Contains(sent.MediaFileId!.Value, left);
        Assert.Contains(fresh, left);
        Assert.Equal(0, await app.Services.GetRequiredService<PurgeUnsentAttachments>().HandleAsync(default));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Attachments_of_a_wrong_type_or_over_the_limit_are_refused_before_anything_is_kept_or_uploaded(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider, new() { ["WhatsApp:AttachmentImageMaxBytes"] = "2048" });
        await using (var scope = await AgentAsync(app))
        {
            var attach = scope.ServiceProvider.GetRequiredService<AttachFile>();
            // Checked on what the browser announces, before a byte is read.
            Assert.Equal(new AttachFile.Result.Refused("type"), attach.Check("setup.exe", 1000));
            Assert.Equal(new AttachFile.Result.Refused("too-large", 2048), attach.Check("photo.png", 4096));
            Assert.Equal(new AttachFile.Result.Refused("too-large", 100L * 1024 * 1024), attach.Check("manual.pdf", 101L * 1024 * 1024));
            Assert.Null(attach.Check("manual.pdf", 3 * 1024 * 1024)); // documents have their own, larger limit
        }
        Assert.Equal(new AttachFile.Result.Refused("type"), await AttachAsync(app, "setup.exe", [1, 2, 3]));
        Assert.Equal(new AttachFile.Result.Refused("too-large", 2048), await AttachAsync(app, "photo.png", [.. Png, .. new byte[4096]]));
        // A browser can announce a small size and stream more: reading stops at the limit.
        await using (var scope = await AgentAsync(app))
            Assert.Equal(new AttachFile.Result.Refused("too-large", 2048), await scope.ServiceProvider.GetRequiredService<AttachFile>()
                .HandleAsync("photo.png", 100, new MemoryStream([.. Png, .. new byte[4096]]), default));
        // A renamed file is not an image WhatsApp would show.
        Assert.Equal(new AttachFile.Result.Refused("type"), await AttachAsync(app, "photo.jpg", "%PDF-1.7 not a photo"u8.ToArray()));
        Assert.Equal(new AttachFile.Result.Refused("empty"), await AttachAsync(app, "notes.txt", []));

        await using var db = await Db(app);
        Assert.Equal(0, await db.MediaFiles.IgnoreQueryFilters().CountAsync());
        Assert.Empty(_graph.Uploads);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_attached_image_is_kept_then_uploaded_and_sent_with_its_media_id_and_the_reply_as_caption(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var reply = Assert.Single(await ReplyAsync(app, "wamid.ATT1", "Here is the photo of your parcel.", "parcel.png", Png));
        Assert.Equal(("image", MediaState.Stored), (reply.Type, reply.MediaState));

        var sent = await MessageAsync(app, reply.Id, m => m.DeliveryState != DeliveryState.Queued, "the image reply to leave the queue");
        Assert.Equal((DeliveryState.Sent, "media.UP1"), (sent.DeliveryState, sent.MediaId));
        var upload = Assert.Single(_graph.Uploads);
        Assert.Equal(("whatsapp", "image/png", "image/png", "parcel.png", "Bearer test-access-token"),
            (upload.MessagingProduct, upload.Type, upload.FileContentType, upload.FileName, upload.Authorization));
        Assert.Equal(Png, upload.Content);
        Assert.EndsWith("/media", upload.Path);
        var send = Assert.Single(_graph.Requests).Body;
        Assert.Equal("image", send.GetProperty("type").GetString());
        Assert.Equal("media.UP1", send.GetProperty("image").GetProperty("id").GetString());
        Assert.Equal("Here is the photo of your parcel.", send.GetProperty("image").GetProperty("caption").GetString());
        Assert.Equal("send", Assert.Single(await AttemptsAsync(app, reply.Id)).Step);

        // The agent's timeline shows the file in the outbound bubble, with its tick.
        await using var scope = await AgentAsync(app);
        var view = await scope.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(reply.ConversationId, default);
        var bubble = Assert.Single(view!.Timeline, b => b.Id == reply.Id);
        Assert.Equal((MediaState.Stored, "image/png", DeliveryState.Sent), (bubble.Media?.State, bubble.Media?.ContentType, bubble.State));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_upload_that_fails_for_a_while_is_retried_and_the_file_is_sent_with_nothing_lost(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        _graph.ThenUploadMetaError(503, 131000, "Something went wrong");
        _graph.ThenUpload(500, "not json");
        var reply = Assert.Single(await ReplyAsync(app, "wamid.ATT2", "Your invoice.", "invoice.pdf", "%PDF-1.7 invoice 42"u8.ToArray()));

        var sent = await MessageAsync(app, reply.Id, m => m.DeliveryState != DeliveryState.Queued, "the document reply to leave the queue");
        Assert.Equal((DeliveryState.Sent, 3, "media.UP3"), (sent.DeliveryState, sent.SendAttempts, sent.MediaId));
        Assert.Equal(3, _graph.Uploads.Count);
        Assert.All(_graph.Uploads, u => Assert.Equal("%PDF-1.7 invoice 42"u8.ToArray(), u.Content));
        var attempts = await AttemptsAsync(app, reply.Id);
        Assert.Equal([("upload", "131000", false), ("upload", "500", false), ("send", null, true)],
            attempts.Select(a => (a.Step, a.ErrorCode, a.Succeeded)));
        var send = Assert.Single(_graph.Requests).Body;
        Assert.Equal(("document", "media.UP3", "invoice.pdf", "Your invoice."),
            (send.GetProperty("type").GetString(), send.GetProperty("document").GetProperty("id").GetString(),
             send.GetProperty("document").GetProperty("filename").GetString(), send.GetProperty("document").GetProperty("caption").GetString()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_permanent_refusal_of_the_upload_fails_the_reply_with_metas_reason_and_keeps_the_file(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        _graph.ThenUploadMetaError(400, 131053, "Media upload error");
        var reply = Assert.Single(await ReplyAsync(app, "wamid.ATT3", "The photo you asked for.", "photo.png", Png));

        var failed = await MessageAsync(app, reply.Id, m => m.DeliveryState != DeliveryState.Queued, "the reply to fail");
        Assert.Equal((DeliveryState.Failed, "131053", "Media upload error", 1, (string?)null),
            (failed.DeliveryState, failed.ErrorCode, failed.ErrorTitle, failed.SendAttempts, failed.MediaId));
        // Failed with no retry waiting (a retry would have set the next attempt): one upload, no send.
        Assert.Single(_graph.Uploads);
        Assert.Empty(_graph.Requests);
        var attempt = Assert.Single(await AttemptsAsync(app, reply.Id));
        Assert.Equal(("upload", "131053", (DateTime?)null), (attempt.Step, attempt.ErrorCode, attempt.NextAttemptUtc));
        await using var db = await Db(app);
        Assert.True(await db.MediaFiles.IgnoreQueryFilters().AnyAsync(f => f.Id == failed.MediaFileId), "the file is still kept");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_retried_send_reuses_the_uploaded_media_id_without_uploading_again(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        _graph.ThenMetaError(429, 130429, "Rate limit hit");
        _graph.ThenMetaError(503, 131000, "Something went wrong");
        var reply = Assert.Single(await ReplyAsync(app, "wamid.ATT4", "Photo attached.", "parcel.png", Png));

        var sent = await MessageAsync(app, reply.Id, m => m.DeliveryState != DeliveryState.Queued, "the reply to be sent");
        Assert.Equal((DeliveryState.Sent, 3), (sent.DeliveryState, sent.SendAttempts));
        Assert.Single(_graph.Uploads);
        Assert.Equal(3, _graph.Requests.Count);
        Assert.All(_graph.Requests, r => Assert.Equal("media.UP1", r.Body.GetProperty("image").GetProperty("id").GetString()));
        Assert.Equal(["send", "send", "send"], (await AttemptsAsync(app, reply.Id)).Select(a => a.Step));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_reply_longer_than_a_caption_goes_as_text_first_then_the_file_without_a_caption(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var text = string.Join(' ', Enumerable.Repeat("Please read the attached terms carefully.", 30));
        Assert.True(text.Length > OutboundReply.MaxCaptionLength);
        var replies = await ReplyAsync(app, "wamid.ATT5", text, "terms.pdf", "%PDF-1.7 terms"u8.ToArray());
        Assert.Equal([("text", text), ("document", null)], replies.Select(m => (m.Type, m.Text)));

        foreach (var m in replies) await MessageAsync(app, m.Id, x => x.DeliveryState == DeliveryState.Sent, "both parts sent");
        Assert.Equal(["text", "document"], _graph.Requests.Select(r => r.Body.GetProperty("type").GetString()));
        Assert.False(_graph.Requests.Last().Body.GetProperty("document").TryGetProperty("caption", out _));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_file_follows_the_24_hour_window_like_text_and_an_unknown_file_is_refused(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        (await app.CreateClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.ATT6", "hello")]))).EnsureSuccessStatusCode();
        Guid conversationId;
        await using (var db = await Db(app))
            conversationId = await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == "wamid.ATT6").Select(m => m.ConversationId).SingleAsync();
        var stored = Assert.IsType<AttachFile.Result.Stored>(await AttachAsync(app, "parcel.png", Png));

        await using (var scope = await AgentAsync(app))
            Assert.Equal(new ReviewDraft.Result.Invalid("attachment"), await scope.ServiceProvider.GetRequiredService<ReviewDraft>()
                .SendOwnReplyAsync(conversationId, "Here it is.", default, Guid.NewGuid()));
        await using (var db = await Db(app))
            await db.Contacts.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(c => c.LastInboundUtc, DateTime.UtcNow.AddHours(-25)));
        await using (var scope = await AgentAsync(app))
            Assert.IsType<ReviewDraft.Result.WindowClosed>(await scope.ServiceProvider.GetRequiredService<ReviewDraft>()
                .SendOwnReplyAsync(conversationId, "Here it is.", default, stored.Attachment.FileId));

        Assert.Empty(_graph.Uploads);
        await using var read = await Db(app);
        Assert.False(await read.Messages.IgnoreQueryFilters().AnyAsync(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Outbound));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task On_the_simulator_an_attachment_is_kept_and_shown_without_calling_whatsapp(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        Guid conversationId;
        await using (var scope = await AgentAsync(app))
            conversationId = (await scope.ServiceProvider.GetRequiredService<SimulatorChat>().SendAsCustomerAsync("+34 600 000 111", "Sim", "photo please?", default))!.Value;
        var stored = Assert.IsType<AttachFile.Result.Stored>(await AttachAsync(app, "parcel.png", Png));
        Guid id;
        await using (var scope = await AgentAsync(app))
            id = Assert.IsType<ReviewDraft.Result.Sent>(await scope.ServiceProvider.GetRequiredService<ReviewDraft>()
                .SendOwnReplyAsync(conversationId, "", default, stored.Attachment.FileId)).MessageId;

        var delivered = await MessageAsync(app, id, m => m.DeliveryState != DeliveryState.Queued, "the simulator reply");
        Assert.Equal((DeliveryState.Delivered, "image", stored.Attachment.FileId, (string?)null),
            (delivered.DeliveryState, delivered.Type, delivered.MediaFileId, delivered.MediaId));
        Assert.Empty(_graph.Uploads);
        Assert.Empty(_graph.Requests);
        await using var agent = await AgentAsync(app);
        var view = await agent.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(conversationId, default);
        var bubble = Assert.Single(view!.Timeline, b => b.Id == id);
        Assert.Equal((MediaState.Stored, "parcel.png", DeliveryState.Delivered), (bubble.Media?.State, bubble.Media?.FileName, bubble.State));
        // The simulated customer sees the photo too.
        var line = Assert.Single(await agent.ServiceProvider.GetRequiredService<SimulatorChat>().TranscriptAsync(conversationId, default), l => l.Id == id);
        Assert.Equal((true, "image", (string?)null), (line.HasFile, line.Type, line.Text));
    }
}
