using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Inbox;

public sealed class InboxHandlerTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_customers_name_is_found_without_its_accents_or_capitals(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateBrowserLikeClient();
        await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.n1", "hola", from: "34600000011")], name: "Lucía Ñúñez", waId: "34600000011"));
        await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.n2", "hola", from: "34600000012")], name: "Lucio Díaz", waId: "34600000012"));

        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        var inbox = scope.ServiceProvider.GetRequiredService<GetInbox>();
        async Task<string[]> FindAsync(string search) =>
            [.. (await inbox.HandleAsync(new(InboxFilter.All, search, 0, 10), default)).Rows.Select(r => r.Customer).Order()];

        await Eventually.GetAsync(async () => await FindAsync("lu") is { Length: 2 } both ? both : null, what: "both conversations");
        Assert.Equal(["Lucía Ñúñez"], await FindAsync("lucia"));
        Assert.Equal(["Lucía Ñúñez"], await FindAsync("NUNEZ"));
        Assert.Equal(["Lucía Ñúñez"], await FindAsync("Lucía"));
        Assert.Equal(["Lucio Díaz"], await FindAsync("diaz"));
        Assert.Empty(await FindAsync("luciana"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_conversation_that_waits_shows_the_customers_message_and_one_answered_shows_our_reply(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateBrowserLikeClient();
        var tenMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        await client.PostSignedAsync(WhatsAppSender.Notification([
            WhatsAppSender.TextMessage("wamid.p1", "Where is order 4411?", from: "34600000031", timestamp: tenMinutesAgo),
            WhatsAppSender.TextMessage("wamid.p2", "And can I pay with Bizum?", from: "34600000031", timestamp: tenMinutesAgo + 20)], name: "Pia", waId: "34600000031"));
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        var inbox = scope.ServiceProvider.GetRequiredService<GetInbox>();
        async Task<GetInbox.Row?> PiaAsync() => (await inbox.HandleAsync(new(InboxFilter.All, "Pia", 0, 10), default)).Rows.SingleOrDefault();
        var pia = (await Eventually.GetAsync(async () => await PiaAsync() is { LastText: "And can I pay with Bizum?" } row ? row : null, what: "Pia's questions"))!;

        // A draft for the second question waits for review; then the first is answered, after it.
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var second = await db.Messages.SingleAsync(m => m.ConversationId == pia.ConversationId && m.Text == "And can I pay with Bizum?");
            db.Drafts.Add(new Draft
            {
                TenantId = tenant, ChannelId = second.ChannelId, ConversationId = second.ConversationId, MessageId = second.Id, State = DraftState.Pending,
                Text = "We don't take Bizum.", CreatedUtc = second.SentUtc.AddSeconds(5), UpdatedUtc = second.SentUtc.AddSeconds(5),
            });
            await db.SaveChangesAsync();
        }
        // Waiting, the customer's message last: it is the preview.
        var asked = (await PiaAsync())!;
        Assert.NotNull(asked.WaitingSinceUtc);
        Assert.Equal(("And can I pay with Bizum?", false), (asked.LastText, asked.LastTextIsOurs));
        await using (var db = await factory.CreateDbContextAsync())
        {
            var second = await db.Messages.SingleAsync(m => m.ConversationId == pia.ConversationId && m.Text == "And can I pay with Bizum?");
            db.Messages.Add(new Message
            {
                TenantId = tenant, ChannelId = second.ChannelId, ConversationId = second.ConversationId, Direction = MessageDirection.Outbound,
                Author = MessageAuthor.Agent, Text = "It left our warehouse today.", DeliveryState = DeliveryState.Sent,
                SentUtc = second.SentUtc.AddMinutes(1), CreatedUtc = second.SentUtc.AddMinutes(1),
            });
            await db.SaveChangesAsync();
        }
        var waiting = (await PiaAsync())!;
        Assert.NotNull(waiting.WaitingSinceUtc);
        // What it waits on, not the reply sent after it ("waiting 10 min" beside our own answer hid the customer's question).
        Assert.Equal(("And can I pay with Bizum?", false), (waiting.LastText, waiting.LastTextIsOurs));

        // Decided: nothing waits any more, and the row shows what we sent last, marked as ours.
        await using (var db = await factory.CreateDbContextAsync())
            await db.Drafts.Where(d => d.ConversationId == pia.ConversationId).ExecuteUpdateAsync(d => d.SetProperty(x => x.State, DraftState.Expired));
        var answered = (await PiaAsync())!;
        Assert.Null(answered.WaitingSinceUtc);
        Assert.Equal(("It left our warehouse today.", true), (answered.LastText, answered.LastTextIsOurs));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_inbox_filters_searches_and_audits_conversation_switches_within_the_tenant(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Hangfire:ServerEnabled"] = "true", ["Hangfire:PollInterval"] = "00:00:00.100" });
        var client = app.CreateBrowserLikeClient();
        await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.i1", "Where is my refund?", from: "34600000001")], name: "Rita", waId: "34600000001"));
        await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.i2", "Change my address", from: "34600000002")], name: "Tom", waId: "34600000002"));

        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        await using var scope = app.Services.ForTenant(tenant, agent);
        var inbox = scope.ServiceProvider.GetRequiredService<GetInbox>();
        var review = await Eventually.GetAsync(async () =>
            await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 0, 10), default) is { Total: 2 } r ? r : null, what: "two conversations to review");
        Assert.All(review.Rows, r => Assert.Equal(1, r.PendingDrafts));

        Assert.Equal("Rita", Assert.Single((await inbox.HandleAsync(new(InboxFilter.All, "refund", 0, 10), default)).Rows).Customer);
        Assert.Equal("Tom", Assert.Single((await inbox.HandleAsync(new(InboxFilter.All, "600000002", 0, 10), default)).Rows).Customer);

        var rita = review.Rows.Single(r => r.Customer == "Rita").ConversationId;
        var update = scope.ServiceProvider.GetRequiredService<UpdateConversation>();
        Assert.True(await update.SetAiModeAsync(rita, AiMode.Off, default));
        Assert.True(await update.SetStatusAsync(rita, ConversationStatus.Archived, default));
        Assert.False(await update.SetPinnedAsync(Guid.NewGuid(), true, default));
        // What an open conversation reads again after such a change: the conversation as it now is, and its customer.
        var panes = await scope.ServiceProvider.GetRequiredService<ConversationPanes>().ReadAsync(rita, default);
        Assert.Equal((ConversationStatus.Archived, AiMode.Off, "Rita"), (panes.View!.Status, panes.View.AiMode, panes.View.Customer));
        Assert.NotNull(panes.Contact);
        Assert.Null((await scope.ServiceProvider.GetRequiredService<ConversationPanes>().ReadAsync(Guid.NewGuid(), default)).View);

        Assert.Equal("Tom", Assert.Single((await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 0, 10), default)).Rows).Customer);
        Assert.Equal("Rita", Assert.Single((await inbox.HandleAsync(new(InboxFilter.Archived, null, 0, 10), default)).Rows).Customer);

        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var audits = await db.AuditEvents.Where(a => a.EntityId == rita.ToString()).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["conversation.ai-mode", "conversation.status"], audits.Select(a => a.Action).ToArray());
        Assert.All(audits, a => Assert.Equal(agent, a.ActorUserId));

        // Another workspace cannot see or switch these conversations.
        var other = await app.Services.CreateOtherTenantAsync();
        await using var otherScope = app.Services.ForTenant(other.TenantId, other.AdminId);
        Assert.Equal(0, (await otherScope.ServiceProvider.GetRequiredService<GetInbox>().HandleAsync(new(InboxFilter.All, null, 0, 10), default)).Total);
        Assert.False(await otherScope.ServiceProvider.GetRequiredService<UpdateConversation>().SetAiModeAsync(rita, AiMode.Auto, default));
        Assert.Null(await otherScope.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(rita, default));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_very_long_conversation_shows_its_newest_messages_and_says_how_many_older_ones_it_leaves_out(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Hangfire:ServerEnabled"] = "true", ["Hangfire:PollInterval"] = "00:00:00.100" });
        var client = app.CreateBrowserLikeClient();
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        await using var scope = app.Services.ForTenant(tenant, agent);
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>();

        // 600 earlier messages of one customer, then the newest one through the webhook, which gets the draft to review.
        await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.long0", "First message", from: "34600000009")], name: "Lena", waId: "34600000009"));
        var first = await Eventually.GetAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.ExternalId == "wamid.long0");
        }, what: "the first message stored");
        await using (var db = await factory.CreateDbContextAsync())
        {
            var start = first.SentUtc.AddDays(-30);
            db.Messages.AddRange(Enumerable.Range(1, 600).Select(i => new Message
            {
                TenantId = first.TenantId, ChannelId = first.ChannelId, ConversationId = first.ConversationId,
                Direction = i % 2 == 0 ? MessageDirection.Outbound : MessageDirection.Inbound,
                Author = i % 2 == 0 ? MessageAuthor.Agent : MessageAuthor.Customer, Text = $"Earlier message {i}",
                DeliveryState = i % 2 == 0 ? DeliveryState.Delivered : DeliveryState.None, ExternalId = $"wamid.old{i}",
                SentUtc = start.AddMinutes(i), CreatedUtc = start.AddMinutes(i),
            }));
            await db.SaveChangesAsync();
            // A send attempt of a reply the timeline shows, and of one it leaves out.
            var replies = await db.Messages.Where(m => m.ExternalId == "wamid.old600" || m.ExternalId == "wamid.old2").ToDictionaryAsync(m => m.ExternalId!);
            db.SendAttempts.AddRange(replies.Values.Select(m => new SendAttempt
            {
                TenantId = m.TenantId, MessageId = m.Id, Number = 1, AttemptedUtc = m.SentUtc, Step = "send", Succeeded = true,
            }));
            await db.SaveChangesAsync();
        }
        await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.long1", "Where is my parcel now?", from: "34600000009")], name: "Lena", waId: "34600000009"));

        var conversations = scope.ServiceProvider.GetRequiredService<GetConversation>();
        var view = await Eventually.GetAsync(async () =>
            await conversations.HandleAsync(first.ConversationId, default) is { Draft: not null } v && v.Timeline[^1].Text == "Where is my parcel now?" ? v : null,
            what: "the newest message with its draft");

        Assert.Equal(GetConversation.TimelineLimit, view.Timeline.Count);
        Assert.Equal(602 - GetConversation.TimelineLimit, view.EarlierMessages);
        Assert.Equal(view.Timeline.OrderBy(b => b.SentUtc).Select(b => b.Id), view.Timeline.Select(b => b.Id));
        Assert.Contains(view.Timeline, b => b.Text == "First message");
        Assert.Equal("Earlier message 103", view.Timeline[0].Text);
        Assert.Single(view.Timeline.Single(b => b.Text == "Earlier message 600").Attempts);
        Assert.Equal(1, view.Timeline.Sum(b => b.Attempts.Count));
    }
}
