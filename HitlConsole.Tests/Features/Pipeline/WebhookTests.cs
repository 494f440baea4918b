using System.Net;
using System.Net.Http.Json;
using System.Text;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Xunit.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Pipeline;

/// <summary>Signed WhatsApp notifications and simulator calls into a real app and database, on both providers.</summary>
public sealed class WebhookTests(ITestOutputHelper output)
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static async Task<List<Message>> MessagesAsync(HitlAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Messages.IgnoreQueryFilters().OrderBy(m => m.SentUtc).ThenBy(m => m.ExternalId).ToListAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_signed_text_message_is_stored_awaiting_a_draft_with_its_contact(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateBrowserLikeClient();
        var sent = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();

        var response = await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.A1", "Hola, ¿dónde está mi pedido?", timestamp: sent)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = Assert.Single(await MessagesAsync(app));
        Assert.Equal("Hola, ¿dónde está mi pedido?", message.Text);
        Assert.True(message.AwaitingDraft);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(sent).UtcDateTime, message.SentUtc);

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var contact = await db.Contacts.IgnoreQueryFilters().SingleAsync();
        Assert.Equal("Carla Cliente", contact.DisplayName);
        Assert.Equal("34600111222", contact.Address);
        Assert.Equal(message.TenantId, await scope.ServiceProvider.DemoTenantIdAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_outbox_hands_a_new_message_to_a_draft_job_well_under_a_second(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateBrowserLikeClient();
        await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.warm", "warm up")]));
        await Eventually.GetAsync(async () => (await MessagesAsync(app)).FirstOrDefault(m => m.DraftDispatchedUtc is not null), what: "warm-up dispatch");

        var latencies = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var response = await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage($"wamid.lat{i}", "Where is my order?")]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Eventually.GetAsync(async () => (await MessagesAsync(app)).FirstOrDefault(m => m.ExternalId == $"wamid.lat{i}" && m.DraftDispatchedUtc is not null),
                what: "the dispatch");
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }
        var figures = $"webhook to enqueued draft job ({provider}): {string.Join(", ", latencies.Select(l => $"{l:F0} ms"))}";
        output.WriteLine(figures);
        // Typically tens of milliseconds. The median must be well under a second: with both cores saturated by the rest of
        // the suite it was seen at 315 ms (291–504 ms), hence half a second. A single delivery of a loaded two-core CI
        // machine can stall on scheduling (seen: 1.2 s, and once 4.7 s between four deliveries of ≈ 100 ms), so the
        // slowest only has to show that nothing got stuck.
        Assert.True(latencies.Order().ElementAt(latencies.Count / 2) < 500, figures);
        Assert.True(latencies.Max() < 10_000, figures);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_burst_of_deliveries_is_stored_completely_and_each_is_dispatched(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        const int total = 400, concurrency = 16;
        var warm = app.CreateBrowserLikeClient();
        for (var i = 0; i < 20; i++) // JIT and EF query compilation are not part of the figure
            await warm.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage($"wamid.warm{i}", "warm up")]));
        var bodies = Enumerable.Range(0, total)
            .Select(i => WhatsAppSender.Notification([WhatsAppSender.TextMessage($"wamid.burst{i}", $"Where is my order {i}?", from: $"3460000{i % 50:D4}")], waId: $"3460000{i % 50:D4}"))
            .ToList();
        var next = -1;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var client = app.CreateBrowserLikeClient();
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
                Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(bodies[i])).StatusCode);
        }));
        var stored = watch.Elapsed;
        await Eventually.GetAsync(async () => (await MessagesAsync(app)).Count(m => m.DraftDispatchedUtc is not null) == total + 20 ? "all" : null, 60, "every dispatch");
        var dispatched = watch.Elapsed;

        output.WriteLine($"{provider}: {total} signed deliveries ({concurrency} at a time) acknowledged in {stored.TotalMilliseconds:F0} ms " +
                         $"= {total / stored.TotalSeconds:F0}/s; all dispatched to draft jobs after {dispatched.TotalMilliseconds:F0} ms");
        Assert.Equal(total + 20, (await MessagesAsync(app)).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_delivery_acknowledged_and_left_unread_is_read_by_the_next_reader_and_removed(DatabaseProvider provider)
    {
        // As a killed instance leaves it: appended (so Meta had its 200), not yet read into a conversation.
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var channel = (await app.Services.GetRequiredService<WhatsAppChannelDirectory>().GetAsync(default))
            .Single(c => c.PhoneNumberId == HitlAppFactory.PhoneNumberId);
        var log = app.Services.GetRequiredService<DeliveryLogDatabase>();
        await using (var db = await log.OpenAsync(default))
        {
            db.Deliveries.Add(new WebhookDelivery
            {
                Body = Encoding.UTF8.GetBytes(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.LEFT", "¿Dónde está mi pedido?")])),
                SignedBy = channel.ChannelId.ToString(), ReceivedUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var message = await Eventually.GetAsync(async () => (await MessagesAsync(app)).SingleOrDefault(m => m.ExternalId == "wamid.LEFT"),
            30, "the unread delivery's message");

        Assert.Equal("¿Dónde está mi pedido?", message.Text);
        Assert.True(message.AwaitingDraft);
        await Eventually.GetAsync(async () =>
        {
            await using var db = await log.OpenAsync(default);
            return await db.Deliveries.AnyAsync() ? null : "removed";
        }, 30, "the delivery removed once read");
        // Meta's own retry of it, later, is acknowledged and stores nothing new.
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostSignedAsync(
            WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.LEFT", "¿Dónde está mi pedido?")]))).StatusCode);
        Assert.Single(await MessagesAsync(app), m => m.ExternalId == "wamid.LEFT");
    }

    [Fact]
    public async Task On_a_quiet_server_the_answer_comes_after_the_message_is_in_the_inbox()
    {
        // A wait long enough that the suite's load cannot make the reader miss it (the default is 100 ms); the test looks
        // right at the answer, without polling.
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Pipeline:QuietReadWait"] = "00:00:10" });
        await app.Services.GetRequiredService<WebhookLog>().WhenReadAsync(default);

        var response = await app.CreateBrowserLikeClient().PostSignedUnreadAsync(
            WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.QUIET", "¿Hay envío a Canarias?")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await MessagesAsync(app), m => m.ExternalId == "wamid.QUIET");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=abc")]
    [InlineData("garbage")]
    public async Task A_missing_or_wrong_signature_gets_401_and_stores_nothing(string? signature)
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var client = app.CreateBrowserLikeClient();
        var json = WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.X", "hello")]);
        var request = new HttpRequestMessage(HttpMethod.Post, WhatsAppWebhook.Path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add(WhatsAppSignature.Header, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostSignedAsync(json, secret: "someone-elses-secret")).StatusCode);
        Assert.Empty(await MessagesAsync(app));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Twenty_simultaneous_copies_of_a_delivery_store_one_message(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var json = WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.DUP", "I want to cancel my order")]);
        var clients = Enumerable.Range(0, 20).Select(_ => app.CreateBrowserLikeClient()).ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.PostSignedAsync(json)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(await MessagesAsync(app));
        Assert.Equal(HttpStatusCode.OK, (await clients[0].PostSignedAsync(json)).StatusCode); // a retry days later
        Assert.Single(await MessagesAsync(app));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_message_type_is_kept_and_a_malformed_part_does_not_lose_the_rest(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        object[] messages =
        [
            new { from = "34600111222", id = "wamid.img", timestamp = ts, type = "image", image = new { id = "media-1", caption = "my broken box", mime_type = "image/jpeg" } },
            new { from = "34600111222", id = "wamid.aud", timestamp = ts, type = "audio", audio = new { id = "media-2" } },
            new { from = "34600111222", id = "wamid.loc", timestamp = ts, type = "location", location = new { latitude = 40.4, longitude = -3.7, name = "Shop" } },
            new { from = "34600111222", id = "wamid.rea", timestamp = ts, type = "reaction", reaction = new { message_id = "wamid.prev", emoji = "👍" } },
            new { from = "34600111222", id = "wamid.btn", timestamp = ts, type = "interactive", interactive = new { type = "button_reply", button_reply = new { id = "b1", title = "Track order" } } },
            new { from = "34600111222", id = "wamid.uns", timestamp = ts, type = "unsupported", errors = new[] { new { code = 131051 } } },
            new { from = "34600111222", timestamp = ts, type = "text", text = new { body = "no id, malformed" } },
        ];

        var response = await app.CreateBrowserLikeClient().PostSignedAsync(WhatsAppSender.Notification(messages));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = (await MessagesAsync(app)).ToDictionary(m => m.ExternalId!);
        Assert.Equal(6, stored.Count);
        Assert.Equal(("image", "media-1", "my broken box", true), (stored["wamid.img"].Type, stored["wamid.img"].MediaId, stored["wamid.img"].Caption, stored["wamid.img"].AwaitingDraft));
        // A voice note without words still gets a draft (a neutral question); its file is downloaded by a job.
        Assert.Equal(("audio", "media-2", true), (stored["wamid.aud"].Type, stored["wamid.aud"].MediaId, stored["wamid.aud"].AwaitingDraft));
        Assert.Equal("Shop", stored["wamid.loc"].Caption);
        Assert.False(stored["wamid.rea"].AwaitingDraft);
        Assert.Equal(("Track order", true), (stored["wamid.btn"].Text, stored["wamid.btn"].AwaitingDraft));
        Assert.Equal("unsupported", stored["wamid.uns"].Type);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Delivery_states_only_move_forward_and_failures_keep_metas_error(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateBrowserLikeClient();
        await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.in", "hello")]));
        var inbound = Assert.Single(await MessagesAsync(app));
        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            foreach (var id in new[] { "wamid.out1", "wamid.out2" })
                db.Messages.Add(new Message
                {
                    TenantId = inbound.TenantId, ChannelId = inbound.ChannelId, ConversationId = inbound.ConversationId, Direction = MessageDirection.Outbound,
                    Author = MessageAuthor.Agent, Text = "reply", ExternalId = id, DeliveryState = DeliveryState.Sent, SentUtc = DateTime.UtcNow, CreatedUtc = DateTime.UtcNow,
                });
            await db.SaveChangesAsync();
        }

        object Status(string id, string status, object[]? errors = null) => errors is null
            ? new { id, status, timestamp = "1700000000", recipient_id = "34600111222" }
            : new { id, status, timestamp = "1700000000", recipient_id = "34600111222", errors };
        await client.PostSignedAsync(WhatsAppSender.Notification(statuses: [Status("wamid.out1", "read")]));
        await client.PostSignedAsync(WhatsAppSender.Notification(statuses: [Status("wamid.out1", "delivered"), Status("wamid.unknown", "read")]));
        await client.PostSignedAsync(WhatsAppSender.Notification(statuses: [Status("wamid.out2", "failed", [new { code = 131047, title = "Re-engagement message" }])]));

        var all = (await MessagesAsync(app)).ToDictionary(m => m.ExternalId!);
        Assert.Equal(DeliveryState.Read, all["wamid.out1"].DeliveryState);
        Assert.Equal((DeliveryState.Failed, "131047", "Re-engagement message"), (all["wamid.out2"].DeliveryState, all["wamid.out2"].ErrorCode, all["wamid.out2"].ErrorTitle));
    }

    [Fact]
    public async Task Bad_bodies_get_short_neutral_errors_that_do_not_echo_them()
    {
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Pipeline:MaxBodyBytes"] = "4096" });
        var client = app.CreateBrowserLikeClient();

        var notJson = await client.PostSignedAsync("{ \"entry\": [ <script>alert(1)</script>");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.DoesNotContain("script", await notJson.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostSignedAsync(WhatsAppSender.Notification(), contentType: "text/plain")).StatusCode);
        var huge = WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.big", new string('x', 10_000))]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostSignedAsync(huge)).StatusCode);

        // Signed, valid JSON, but for a number no tenant owns: acknowledged, nothing stored.
        var unknown = await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.u", "hi")], phoneNumberId: "999"));
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Empty(await MessagesAsync(app));
    }

    [Fact]
    public async Task The_verification_handshake_answers_the_challenge_only_for_the_right_token()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var client = app.CreateBrowserLikeClient();
        var ok = await client.GetAsync($"{WhatsAppWebhook.Path}?hub.mode=subscribe&hub.verify_token={HitlAppFactory.VerifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{WhatsAppWebhook.Path}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{WhatsAppWebhook.Path}?hub.mode=unsubscribe&hub.verify_token={HitlAppFactory.VerifyToken}&hub.challenge=1")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_simulator_api_feeds_the_same_pipeline_and_checks_its_key(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateBrowserLikeClient();
        var body = new { from = "sim-user-1", name = "Sam", text = "How do I track my refund?" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync(SimulatorApi.Path, body)).StatusCode);
        client.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync(SimulatorApi.Path, body)).StatusCode);

        client.DefaultRequestHeaders.Remove(SimulatorApi.KeyHeader);
        client.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync(SimulatorApi.Path, body)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync(SimulatorApi.Path, new { from = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(SimulatorApi.Path, new StringContent("{oops", Encoding.UTF8, "application/json"))).StatusCode);

        var message = Assert.Single(await MessagesAsync(app));
        Assert.Equal(("How do I track my refund?", true), (message.Text, message.AwaitingDraft));
    }

    /// <summary>
    /// The simulator page offers "+34 600 000 001" for a new customer; written with or without spaces, through the API or
    /// the page, it is one customer with one conversation, and the picker finds them by the number as people write it (with a
    /// "+", by its country code), and by the name with or without its accents.
    /// </summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task A_simulated_number_written_with_or_without_spaces_is_one_customer(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync(SimulatorApi.Path,
            new { from = " +34 655-12.34 56 ", name = "Lucía", text = "¿Dónde está mi pedido?" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync(SimulatorApi.Path,
            new { from = "tester one", text = "A name that is not a number stays as written" })).StatusCode);

        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant);
        var chat = scope.ServiceProvider.GetRequiredService<SimulatorChat>();
        var conversation = await chat.SendAsCustomerAsync("+34655123456", null, "Sigo esperando", default);

        var messages = (await MessagesAsync(app)).Where(m => m.Direction == MessageDirection.Inbound).ToList();
        Assert.Equal(3, messages.Count);
        Assert.Equal(2, messages.Count(m => m.ConversationId == conversation));
        var found = Assert.Single(await chat.SearchContactsAsync("655 12", 20, default));
        Assert.Equal(("+34655123456", "Lucía", conversation), (found.Address, found.Name, found.ConversationId));
        Assert.Equal("tester one", Assert.Single(await chat.SearchContactsAsync("tester", 20, default)).Address);
        // The picker folds case and accents on both sides, as the inbox search does.
        Assert.Equal(conversation, Assert.Single(await chat.SearchContactsAsync("LUCIA", 20, default)).ConversationId);
        Assert.Equal(conversation, Assert.Single(await chat.SearchContactsAsync("lucía", 20, default)).ConversationId);

        // A number typed with its "+" is a country code: "+34" is Spain, not a UK number that holds "34" further on.
        await chat.SendAsCustomerAsync("+44 7700 900 345", "Oliver", "Hello", default);
        Assert.Equal("+34655123456", Assert.Single(await chat.SearchContactsAsync("+34", 20, default)).Address);
        Assert.Equal("+34655123456", Assert.Single(await chat.SearchContactsAsync("+34 655", 20, default)).Address);
        Assert.Equal("Oliver", Assert.Single(await chat.SearchContactsAsync("+44", 20, default)).Name);
        Assert.Equal(2, (await chat.SearchContactsAsync("34", 20, default)).Count(c => c.Address.StartsWith('+')));
    }
}
