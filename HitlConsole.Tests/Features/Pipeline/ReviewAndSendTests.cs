using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Features.Inbox;

namespace HitlConsole.Tests.Features.Pipeline;

/// <summary>Signed webhook in → draft → a person's decision → the fake Graph API, on both providers.</summary>
public sealed class ReviewAndSendTests : IAsyncLifetime
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
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return HitlAppFactory.CreateAsync(provider, settings);
    }

    private const string OpeningHoursQuestion = "What are your opening hours?";

    /// <summary>Bitext answers carry {{placeholders}}, which never auto-send; this one is complete.</summary>
    private static async Task AddOpeningHoursAsync(HitlAppFactory app) =>
        await app.Services.AddKnowledgeAsync(await app.Services.DemoTenantIdAsync(), OpeningHoursQuestion,
            "We are open Monday to Friday, 9:00 to 18:00.", "contact_customer_service");

    /// <summary>The order number fills the answer's {{Order Number}}: a draft with a placeholder left could not be approved.</summary>
    private static async Task<Draft> ArriveAsync(HitlAppFactory app, string wamid, string text = "I want to cancel my order 4411223, how can I do it?")
    {
        var response = await app.CreateBrowserLikeClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage(wamid, text)]));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            return await db.Messages.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.ExternalId == wamid && m.DraftDispatchedUtc != null);
        }, what: "the dispatch of " + wamid);
        return await Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            return await (from d in db.Drafts.IgnoreQueryFilters() join m in db.Messages.IgnoreQueryFilters() on d.MessageId equals m.Id
                          where m.ExternalId == wamid select d).SingleOrDefaultAsync();
        }, what: "the draft");
    }

    private static async Task<HitlDbContext> Db(HitlAppFactory app) =>
        await app.Services.GetRequiredService<IServiceScopeFactory>().CreateScope().ServiceProvider
            .GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();

    private static async Task<ReviewDraft.Result> AsAgentAsync(HitlAppFactory app, Func<ReviewDraft, Task<ReviewDraft.Result>> act)
    {
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        await using var scope = app.Services.ForTenant(tenant, agent);
        return await act(scope.ServiceProvider.GetRequiredService<ReviewDraft>());
    }

    private static async Task<Message> OutboundAsync(HitlAppFactory app, Func<Message, bool> done) =>
        await Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            var m = await db.Messages.IgnoreQueryFilters().Where(x => x.Direction == MessageDirection.Outbound).SingleOrDefaultAsync();
            return m is not null && done(m) ? m : null;
        }, what: "the outbound message");

    [Theory, MemberData(nameof(Providers))]
    public async Task An_approved_draft_reaches_the_graph_api_and_its_receipts_move_it_forward(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var draft = await ArriveAsync(app, "wamid.E2E");

        var result = await AsAgentAsync(app, r => r.ApproveAsync(draft.Id, draft.Version, null, default));

        Assert.IsType<ReviewDraft.Result.Sent>(result);
        var sent = await OutboundAsync(app, m => m.DeliveryState == DeliveryState.Sent);
        Assert.Equal("wamid.OUT1", sent.ExternalId);
        var request = Assert.Single(_graph.Requests);
        Assert.Equal($"/v21.0/{HitlAppFactory.PhoneNumberId}/messages", request.Path);
        Assert.Equal("Bearer test-access-token", request.Authorization);
        Assert.Equal("34600111222", request.Body.GetProperty("to").GetString());
        Assert.Equal("text", request.Body.GetProperty("type").GetString());
        Assert.Equal(draft.Text, request.Body.GetProperty("text").GetProperty("body").GetString());
        Assert.Equal(draft.Id.ToString(), request.Body.GetProperty("biz_opaque_callback_data").GetString());

        await app.CreateBrowserLikeClient().PostSignedAsync(WhatsAppSender.Notification(statuses: [new { id = "wamid.OUT1", status = "delivered", timestamp = "1700000000", recipient_id = "34600111222" }]));
        await OutboundAsync(app, m => m.DeliveryState == DeliveryState.Delivered);

        await using var db = await Db(app);
        var decided = await db.Drafts.IgnoreQueryFilters().SingleAsync(d => d.Id == draft.Id);
        Assert.Equal((DraftState.Approved, draft.Version + 1, sent.Id), (decided.State, decided.Version, decided.SentMessageId));
        Assert.NotNull(decided.ReviewedByUserId);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_suggested_reply_sent_as_written_counts_as_approved_and_a_changed_one_as_edited(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var picked = await ArriveAsync(app, "wamid.PICK");
        var alternatives = System.Text.Json.JsonSerializer.Deserialize<string[]>(picked.Alternatives)!;
        var suggestion = Assert.Single(alternatives.Where(a => a.Trim() != picked.Text.Trim() && !a.Contains("{{")).Take(1));

        Assert.IsType<ReviewDraft.Result.Sent>(await AsAgentAsync(app, r => r.ApproveAsync(picked.Id, picked.Version, suggestion, default)));
        var edited = await ArriveAsync(app, "wamid.EDIT", "I need to cancel order 5522, it was a mistake");
        Assert.IsType<ReviewDraft.Result.Sent>(await AsAgentAsync(app, r => r.ApproveAsync(edited.Id, edited.Version, suggestion + " Anything else?", default)));

        await using var db = await Db(app);
        var sentAsWritten = await db.Drafts.IgnoreQueryFilters().SingleAsync(d => d.Id == picked.Id);
        // The model's own words went out: approved, no edit size, and the history still shows the draft it replaced.
        Assert.Equal((DraftState.Approved, 0, picked.Text, suggestion.Trim()), (sentAsWritten.State, sentAsWritten.EditDistance, sentAsWritten.OriginalText, sentAsWritten.Text));
        var changed = await db.Drafts.IgnoreQueryFilters().SingleAsync(d => d.Id == edited.Id);
        Assert.Equal(DraftState.EditedAndSent, changed.State);
        Assert.True(changed.EditDistance > 0);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Two_simultaneous_approvals_send_exactly_once_and_the_loser_learns_why(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var draft = await ArriveAsync(app, "wamid.RACE");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            AsAgentAsync(app, r => r.ApproveAsync(draft.Id, draft.Version, i % 2 == 0 ? null : "Edited reply " + i, default))));

        Assert.Single(results.OfType<ReviewDraft.Result.Sent>());
        Assert.Equal(5, results.OfType<ReviewDraft.Result.AlreadyHandled>().Count());
        await OutboundAsync(app, m => m.DeliveryState == DeliveryState.Sent);
        await app.QuietAsync();
        Assert.Single(_graph.Requests);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Rate_limits_and_server_errors_are_retried_but_a_closed_window_fails_at_once_with_metas_code(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        _graph.ThenMetaError(429, 130429, "Rate limit hit");
        _graph.ThenMetaError(500, 1, "An unknown error occurred");
        var retried = await ArriveAsync(app, "wamid.R1");
        await AsAgentAsync(app, r => r.ApproveAsync(retried.Id, retried.Version, null, default));
        Assert.Equal("wamid.OUT3", (await OutboundAsync(app, m => m.DeliveryState == DeliveryState.Sent)).ExternalId);
        Assert.Equal(3, _graph.Requests.Count);

        await using (var db = await Db(app))
            await db.Messages.IgnoreQueryFilters().Where(m => m.Direction == MessageDirection.Outbound).ExecuteDeleteAsync();
        _graph.ThenMetaError(400, 131047, "Re-engagement message");
        var refused = await ArriveAsync(app, "wamid.R2", "Where is my invoice?");
        // Edited: the invoice answer asks for {{Invoice Number}}, and a reply with a placeholder is never sent.
        await AsAgentAsync(app, r => r.ApproveAsync(refused.Id, refused.Version, "Your invoices are under Billing in your account.", default));
        var failed = await OutboundAsync(app, m => m.DeliveryState == DeliveryState.Failed);
        Assert.Equal(("131047", "Re-engagement message"), (failed.ErrorCode, failed.ErrorTitle));
        Assert.Equal(4, _graph.Requests.Count); // a 4xx is not retried
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Free_text_is_refused_once_the_24_hour_window_has_closed(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var draft = await ArriveAsync(app, "wamid.OLD");
        await using (var db = await Db(app))
            await db.Contacts.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(c => c.LastInboundUtc, DateTime.UtcNow.AddHours(-25)));

        var result = await AsAgentAsync(app, r => r.ApproveAsync(draft.Id, draft.Version, null, default));

        Assert.IsType<ReviewDraft.Result.WindowClosed>(result);
        await app.QuietAsync();
        Assert.Empty(_graph.Requests);
        await using var db2 = await Db(app);
        Assert.Equal(DraftState.Pending, (await db2.Drafts.IgnoreQueryFilters().SingleAsync()).State);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_rejected_draft_is_kept_with_its_reason_and_sends_nothing(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var draft = await ArriveAsync(app, "wamid.REJ");

        Assert.IsType<ReviewDraft.Result.Invalid>(await AsAgentAsync(app, r => r.RejectAsync(draft.Id, draft.Version, " ", default)));
        Assert.IsType<ReviewDraft.Result.Rejected>(await AsAgentAsync(app, r => r.RejectAsync(draft.Id, draft.Version, "Wrong policy quoted", default)));
        Assert.IsType<ReviewDraft.Result.AlreadyHandled>(await AsAgentAsync(app, r => r.ApproveAsync(draft.Id, draft.Version, null, default)));

        await using var db = await Db(app);
        var kept = await db.Drafts.IgnoreQueryFilters().SingleAsync();
        Assert.Equal((DraftState.Rejected, "Wrong policy quoted"), (kept.State, kept.StateReason));
        Assert.Empty(_graph.Requests);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task After_a_rejection_the_message_is_drafted_again_once_even_when_two_people_ask_and_the_rejection_stays(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var draft = await ArriveAsync(app, "wamid.AGAIN");
        Assert.IsType<ReviewDraft.Result.Invalid>(await AsAgentAsync(app, r => r.DraftAgainAsync(draft.ConversationId, null, default))); // nothing rejected yet
        Assert.IsType<ReviewDraft.Result.Rejected>(await AsAgentAsync(app, r => r.RejectAsync(draft.Id, draft.Version, "Wrong policy quoted", default)));
        Assert.IsType<ReviewDraft.Result.Invalid>(await AsAgentAsync(app, r => r.DraftAgainAsync(draft.ConversationId, new string('x', 501), default)));

        var both = await Task.WhenAll(
            AsAgentAsync(app, r => r.DraftAgainAsync(draft.ConversationId, "Say cancellation is free within 14 days.", default)),
            AsAgentAsync(app, r => r.DraftAgainAsync(draft.ConversationId, "Say cancellation is free within 14 days.", default)));
        Assert.All(both, r => Assert.IsType<ReviewDraft.Result.Retrying>(r));

        var again = await Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            return await db.Drafts.IgnoreQueryFilters().SingleOrDefaultAsync(d => d.MessageId == draft.MessageId && d.State == DraftState.Pending);
        }, what: "the draft asked for again");
        await app.QuietAsync();
        await using (var db = await Db(app))
        {
            var drafts = await db.Drafts.IgnoreQueryFilters().Where(d => d.MessageId == draft.MessageId).OrderBy(d => d.CreatedUtc).ToListAsync();
            Assert.Equal([DraftState.Rejected, DraftState.Pending], drafts.Select(d => d.State));
            Assert.Equal("Wrong policy quoted", drafts[0].StateReason);
            Assert.Equal(1, await db.AuditEvents.IgnoreQueryFilters().CountAsync(a => a.Action == "draft.drafted-again"));
        }
        // While the new draft waits, there is nothing to draft again; its rejection can be followed by another round.
        Assert.IsType<ReviewDraft.Result.Invalid>(await AsAgentAsync(app, r => r.DraftAgainAsync(draft.ConversationId, null, default)));
        Assert.IsType<ReviewDraft.Result.Rejected>(await AsAgentAsync(app, r => r.RejectAsync(again.Id, again.Version, "Still wrong", default)));
        Assert.IsType<ReviewDraft.Result.Retrying>(await AsAgentAsync(app, r => r.DraftAgainAsync(draft.ConversationId, null, default)));
        await Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            return await db.Drafts.IgnoreQueryFilters().CountAsync(d => d.MessageId == draft.MessageId) == 3 ? "three" : null;
        }, what: "the third draft");
        Assert.Empty(_graph.Requests);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_confident_draft_in_auto_mode_goes_out_alone_after_the_delay(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider, new()
        {
            ["Pipeline:AutoSendIntents:0"] = "contact_customer_service", ["Pipeline:AutoSendThreshold"] = "0", ["Pipeline:ReviewThreshold"] = "0",
            ["Pipeline:AutoSendDelay"] = "00:00:00.300",
        });
        await AddOpeningHoursAsync(app);
        await ArriveAsync(app, "wamid.first", "Hello there");
        await using (var db = await Db(app))
            await db.Conversations.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(c => c.AiMode, AiMode.Auto));
        var question = await ArriveAsync(app, "wamid.Q", "I want to cancel my order 4411223, how can I do it?"); // not an auto-send intent

        var draft = await ArriveAsync(app, "wamid.AUTO", OpeningHoursQuestion);
        var sent = await OutboundAsync(app, m => m.DeliveryState == DeliveryState.Sent);
        Assert.Equal(MessageAuthor.Ai, sent.Author);
        await using var db2 = await Db(app);
        var decided = await db2.Drafts.IgnoreQueryFilters().SingleAsync(d => d.Id == draft.Id);
        Assert.Equal(DraftState.AutoSent, decided.State);
        Assert.NotNull(decided.AutoSendJobId);
        Assert.Null(decided.ReviewedByUserId);
        // The greeting's draft no longer waits for review once a later message was answered; the earlier question's still does:
        // the auto-send read only its own message.
        var greeting = await db2.Drafts.IgnoreQueryFilters().SingleAsync(d => d.Id != draft.Id && d.Id != question.Id);
        Assert.Equal((DraftState.Handled, ReviewDraft.AnsweredLaterReason), (greeting.State, greeting.StateReason));
        Assert.Equal(DraftState.Pending, (await db2.Drafts.IgnoreQueryFilters().SingleAsync(d => d.Id == question.Id)).State);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Several_messages_in_a_row_show_the_latest_draft_and_its_reply_closes_the_earlier_ones(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var first = await ArriveAsync(app, "wamid.ROW1", "Hi, I have a question about my order");
        var second = await ArriveAsync(app, "wamid.ROW2", "It's order 4411223");
        var latest = await ArriveAsync(app, "wamid.ROW3");
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);

        await using (var scope = app.Services.ForTenant(tenant, agent))
        {
            var view = (await scope.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(latest.ConversationId, default))!;
            Assert.Equal((latest.Id, 2, 0), (view.Draft!.Id, view.Draft.OthersWaiting, view.Draft.CustomerWroteAfter));
        }
        Assert.IsType<ReviewDraft.Result.Sent>(await AsAgentAsync(app, r => r.ApproveAsync(latest.Id, latest.Version, null, default)));

        await using var db = await Db(app);
        var earlier = await db.Drafts.IgnoreQueryFilters().Where(d => d.Id == first.Id || d.Id == second.Id).ToListAsync();
        Assert.All(earlier, d => Assert.Equal((DraftState.Handled, ReviewDraft.AnsweredLaterReason, agent), (d.State, d.StateReason, d.ReviewedByUserId)));
        Assert.Equal(2, await db.AuditEvents.IgnoreQueryFilters().CountAsync(a => a.Action == "draft.handled"));
        Assert.Single(await db.Messages.IgnoreQueryFilters().Where(m => m.Direction == MessageDirection.Outbound).ToListAsync()); // one reply, not three
        await using var after = app.Services.ForTenant(tenant, agent);
        Assert.Null((await after.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(latest.ConversationId, default))!.Draft);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_person_acting_first_cancels_the_scheduled_auto_send(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider, new()
        {
            ["Pipeline:AutoSendIntents:0"] = "contact_customer_service", ["Pipeline:AutoSendThreshold"] = "0", ["Pipeline:ReviewThreshold"] = "0",
            ["Pipeline:AutoSendDelay"] = "00:00:03",
        });
        await AddOpeningHoursAsync(app);
        await ArriveAsync(app, "wamid.first", "Hello there");
        await using (var db = await Db(app))
            await db.Conversations.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(c => c.AiMode, AiMode.Auto));
        var draft = await ArriveAsync(app, "wamid.HUMAN", OpeningHoursQuestion);
        draft = await Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            return await db.Drafts.IgnoreQueryFilters().SingleOrDefaultAsync(d => d.Id == draft.Id && d.AutoSendJobId != null);
        }, what: "the scheduled auto-send");
        // The reviewer who opens it is told why it waits for them instead of going out.
        var tenant = await app.Services.DemoTenantIdAsync();
        await using (var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent)))
            Assert.True((await scope.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(draft.ConversationId, default))!.Draft!.AutoSendScheduled);

        Assert.IsType<ReviewDraft.Result.Sent>(await AsAgentAsync(app, r => r.ApproveAsync(draft.Id, draft.Version, "A person's reply", default)));
        await OutboundAsync(app, m => m.DeliveryState == DeliveryState.Sent);
        Assert.Equal("Deleted", app.StateOf(draft.AutoSendJobId!)); // the scheduled send will never run
        await app.QuietAsync();

        Assert.Single(_graph.Requests);
        await using var db2 = await Db(app);
        Assert.Equal(DraftState.EditedAndSent, (await db2.Drafts.IgnoreQueryFilters().SingleAsync(d => d.Id == draft.Id)).State);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Stale_pending_drafts_expire_after_the_tenant_ttl_and_are_audited(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        var draft = await ArriveAsync(app, "wamid.STALE");
        var sp = app.Services;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(23));
        var expire = new ExpireStaleDrafts(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<Hangfire.IBackgroundJobClient>(),
            sp.GetRequiredService<LiveFeed>(), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<ExpireStaleDrafts>.Instance);

        Assert.Equal(0, await expire.HandleAsync(default));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await expire.HandleAsync(default));
        Assert.Equal(0, await expire.HandleAsync(default));

        await using var db = await Db(app);
        Assert.Equal(DraftState.Expired, (await db.Drafts.IgnoreQueryFilters().SingleAsync()).State);
        var audit = await db.AuditEvents.IgnoreQueryFilters().SingleAsync(a => a.Action == "draft.expired");
        Assert.Equal(draft.Id.ToString(), audit.EntityId);
        Assert.IsType<ReviewDraft.Result.AlreadyHandled>(await AsAgentAsync(app, r => r.ApproveAsync(draft.Id, draft.Version, null, default)));
    }
}
