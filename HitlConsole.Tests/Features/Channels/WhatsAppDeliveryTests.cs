using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Inbox;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>Delivery you can trust: receipts in any order, retries only for what can succeed later, every attempt on record.</summary>
public sealed class WhatsAppDeliveryTests : IAsyncLifetime
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;
    private FakeGraphApi _graph = null!;

    public async Task InitializeAsync() => _graph = await FakeGraphApi.StartAsync();
    public async Task DisposeAsync() => await _graph.DisposeAsync();

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

    /// <summary>The customer writes (the window opens) and an agent answers by hand: one outbound message on its way to the fake Graph API.</summary>
    private static async Task<Guid> ReplyAsync(HitlAppFactory app, string wamid, string text = "Thanks for writing, we are on it.")
    {
        var response = await app.CreateClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage(wamid, "hello there")]));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var tenant = await app.Services.DemoTenantIdAsync();
        Guid conversationId;
        await using (var db = await Db(app))
            conversationId = await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == wamid).Select(m => m.ConversationId).SingleAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        var sent = Assert.IsType<ReviewDraft.Result.Sent>(await scope.ServiceProvider.GetRequiredService<ReviewDraft>().SendOwnReplyAsync(conversationId, text, default));
        return sent.MessageId;
    }

    private static Task<Message> MessageAsync(HitlAppFactory app, Guid id, Func<Message, bool> done, string what, double seconds = 20) =>
        Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            var m = await db.Messages.IgnoreQueryFilters().SingleAsync(x => x.Id == id);
            return done(m) ? m : null;
        }, seconds, what);

    private static async Task<List<SendAttempt>> AttemptsAsync(HitlAppFactory app, Guid messageId)
    {
        await using var db = await Db(app);
        return await db.SendAttempts.IgnoreQueryFilters().Where(a => a.MessageId == messageId).OrderBy(a => a.Number).ToListAsync();
    }

    private static Task Status(HitlAppFactory app, string wamid, string status, object? error = null) =>
        app.CreateClient().PostSignedAsync(WhatsAppSender.Notification(statuses:
        [
            error is null
                ? new { id = wamid, status, timestamp = "1700000000", recipient_id = "34600111222" }
                : (object)new { id = wamid, status, timestamp = "1700000000", recipient_id = "34600111222", errors = new[] { error } },
        ]));

    [Theory, MemberData(nameof(Providers))]
    public async Task Opening_a_conversation_marks_the_customers_messages_read_once_when_the_channel_asks_for_it(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        // Both customer messages carry the same WhatsApp timestamp (seconds): the second must still be reported.
        var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var response = await app.CreateClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.READ1", "hello there", timestamp: second)]));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var tenant = await app.Services.DemoTenantIdAsync();
        Guid conversationId;
        await using (var db = await Db(app))
            conversationId = await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == "wamid.READ1").Select(m => m.ConversationId).SingleAsync();
        bool Read(FakeGraphApi.Received r, string wamid) =>
            r.Body.TryGetProperty("status", out var s) && s.GetString() == "read" && r.Body.GetProperty("message_id").GetString() == wamid;

        async Task<bool> OpenAsync()
        {
            await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
            return await scope.ServiceProvider.GetRequiredService<MarkConversationRead>().RequestAsync(conversationId, default);
        }

        // Off by default: opening the conversation tells Meta nothing.
        Assert.False(await OpenAsync());
        await using (var db = await Db(app))
            await db.Channels.IgnoreQueryFilters().Where(c => c.Kind == ChannelKind.WhatsAppCloud).ExecuteUpdateAsync(x => x.SetProperty(c => c.MarkReadOnOpen, true));

        Assert.True(await OpenAsync());
        Assert.False(await OpenAsync()); // a second agent, or a reload: the message was reported already
        await Eventually.GetAsync(() => Task.FromResult(_graph.Requests.Any(r => Read(r, "wamid.READ1")) ? (object)true : null), what: "the read receipt");
        Assert.Equal("Bearer test-access-token", _graph.Requests.First(r => Read(r, "wamid.READ1")).Authorization);

        // The customer writes again: the newer message is reported once more.
        await app.CreateClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.READ2", "are you there?", timestamp: second)]));
        await Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            return await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.ExternalId == "wamid.READ2") ? (object)true : null;
        }, what: "the second message stored");
        Assert.True(await OpenAsync());
        await Eventually.GetAsync(() => Task.FromResult(_graph.Requests.Any(r => Read(r, "wamid.READ2")) ? (object)true : null), what: "the second read receipt");
        Assert.Equal(1, _graph.Requests.Count(r => Read(r, "wamid.READ1")));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Receipts_in_any_order_never_move_a_message_backwards_and_a_failure_keeps_metas_code(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var first = await ReplyAsync(app, "wamid.IN1");
        var wamid = (await MessageAsync(app, first, m => m.DeliveryState == DeliveryState.Sent, "the first reply sent")).ExternalId!;

        await Status(app, wamid, "read");
        await Status(app, wamid, "delivered"); // late: read already says more
        await Status(app, wamid, "sent");
        await Status(app, wamid, "failed", new { code = 131026, title = "Message undeliverable" }); // a read message cannot fail any more
        await using (var db = await Db(app))
        {
            var m = await db.Messages.IgnoreQueryFilters().SingleAsync(x => x.Id == first);
            Assert.Equal((DeliveryState.Read, null), (m.DeliveryState, m.ErrorCode));
        }

        var second = await ReplyAsync(app, "wamid.IN2", "And one more thing.");
        var wamid2 = (await MessageAsync(app, second, m => m.DeliveryState == DeliveryState.Sent, "the second reply sent")).ExternalId!;
        await Status(app, wamid2, "failed", new { code = 131026, title = "Message undeliverable" });
        await Status(app, wamid2, "delivered"); // failed ends the line
        var failed = await MessageAsync(app, second, m => m.DeliveryState != DeliveryState.Sent, "the failure applied");
        Assert.Equal((DeliveryState.Failed, "131026", "Message undeliverable"), (failed.DeliveryState, failed.ErrorCode, failed.ErrorTitle));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Rate_limits_and_temporary_meta_errors_are_retried_with_backoff_and_every_attempt_is_recorded(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        _graph.ThenMetaError(400, 130429, "Rate limit hit");
        _graph.ThenMetaError(400, 131056, "(Business Account, Consumer Account) pair rate limit hit");
        _graph.ThenMetaError(503, 131000, "Something went wrong");
        var id = await ReplyAsync(app, "wamid.RETRY");

        // Three retries are three Hangfire scheduled jobs in a row; on a loaded machine the SQLite storage's schedule poller can
        // wait out a held lock between them, so this chain gets more time than one job would.
        var sent = await MessageAsync(app, id, m => m.DeliveryState != DeliveryState.Queued, "the reply to leave the queue", seconds: 90);
        Assert.Equal((DeliveryState.Sent, 4, null), (sent.DeliveryState, sent.SendAttempts, sent.NextAttemptUtc));
        Assert.Equal(4, _graph.Requests.Count);
        var attempts = await AttemptsAsync(app, id);
        Assert.Equal(["130429", "131056", "131000", null], attempts.Select(a => a.ErrorCode));
        Assert.Equal([false, false, false, true], attempts.Select(a => a.Succeeded));
        Assert.All(attempts.Take(3), a => Assert.NotNull(a.NextAttemptUtc));
        Assert.Null(attempts[3].NextAttemptUtc);
        // Backoff: each wait at least as long as the one before.
        var waits = attempts.Take(3).Select(a => a.NextAttemptUtc!.Value - a.AttemptedUtc).ToList();
        Assert.True(waits[1] >= waits[0] && waits[2] >= waits[1], string.Join(", ", waits));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_closed_window_or_an_undeliverable_number_fails_at_once_without_a_retry(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        _graph.ThenMetaError(400, 131026, "Message undeliverable");
        var id = await ReplyAsync(app, "wamid.PERM");

        var failed = await MessageAsync(app, id, m => m.DeliveryState != DeliveryState.Queued, "the reply to fail");
        Assert.Equal((DeliveryState.Failed, "131026", 1), (failed.DeliveryState, failed.ErrorCode, failed.SendAttempts));
        await app.QuietAsync();
        Assert.Single(_graph.Requests);
        var attempt = Assert.Single(await AttemptsAsync(app, id));
        Assert.Equal((false, "131026", (DateTime?)null), (attempt.Succeeded, attempt.ErrorCode, attempt.NextAttemptUtc));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Retries_stop_after_the_configured_number_of_attempts(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider, new() { ["WhatsApp:SendMaxAttempts"] = "2" });
        _graph.ThenMetaError(429, 80007, "Rate limit issues");
        _graph.ThenMetaError(429, 80007, "Rate limit issues");
        var id = await ReplyAsync(app, "wamid.GIVEUP");

        var failed = await MessageAsync(app, id, m => m.DeliveryState != DeliveryState.Queued, "the reply to give up");
        Assert.Equal((DeliveryState.Failed, "80007", 2), (failed.DeliveryState, failed.ErrorCode, failed.SendAttempts));
        await app.QuietAsync();
        Assert.Equal(2, _graph.Requests.Count);
    }

    [Theory]
    [InlineData("130429", null, true)]
    [InlineData("131056", null, true)]
    [InlineData("80007", null, true)]
    [InlineData("1", null, true)]
    [InlineData("2", null, true)]
    [InlineData("131000", null, true)]
    [InlineData("131016", null, true)]
    [InlineData("network", null, true)]
    [InlineData("503", 503, true)]
    [InlineData("131047", 400, false)]
    [InlineData("131026", 400, false)]
    [InlineData("132000", 400, false)]
    [InlineData("132015", 400, false)]
    [InlineData("190", 401, false)]
    [InlineData("131047", 500, false)] // a refusal stays a refusal whatever the HTTP status
    [InlineData("999999", 400, false)]
    public void Only_rate_limits_and_temporary_faults_are_retryable(string code, int? status, bool retryable) =>
        Assert.Equal(retryable, MetaErrors.IsRetryable(code, status));
}
