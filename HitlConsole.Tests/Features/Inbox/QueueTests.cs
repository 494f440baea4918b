using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>The review queue at work: the order a support team needs, a lane for stopped drafts, every row reachable.</summary>
public sealed class QueueTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_queue_puts_the_closing_window_first_keeps_stopped_drafts_in_their_own_lane_and_reaches_every_row(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var now = DateTime.UtcNow;
        // 65 open WhatsApp windows (asked 1 min … 21 h 21 min ago), 3 closed ones, 4 blocked and 1 failed on the simulator.
        var open = await WaitingConversations.SeedAsync(app.Services, tenant, 65, now.AddMinutes(-1), TimeSpan.FromMinutes(20), ChannelKind.WhatsAppCloud, namePrefix: "Open");
        var closed = await WaitingConversations.SeedAsync(app.Services, tenant, 3, now.AddHours(-30), TimeSpan.FromHours(1), ChannelKind.WhatsAppCloud, namePrefix: "Closed");
        var blocked = await WaitingConversations.SeedAsync(app.Services, tenant, 4, now.AddMinutes(-5), TimeSpan.FromMinutes(1), state: DraftState.Blocked, namePrefix: "Blocked");
        await WaitingConversations.SeedAsync(app.Services, tenant, 1, now.AddMinutes(-2), TimeSpan.Zero, state: DraftState.Failed, namePrefix: "Failed");

        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        var inbox = scope.ServiceProvider.GetRequiredService<GetInbox>();

        var first = await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 0, 30), default);
        Assert.Equal(68, first.Total);
        Assert.Equal(68, first.PendingTotal);
        Assert.Equal(5, first.BlockedTotal);
        Assert.Equal(30, first.Rows.Count);
        Assert.Equal("Open 0064", first.Rows[0].Customer); // its window closes first
        Assert.DoesNotContain(first.Rows, r => r.Customer.StartsWith("Blocked") || r.Customer.StartsWith("Failed"));
        Assert.All(first.Rows, r => Assert.True(r.WindowClosesUtc > now));

        // Paging reaches every row exactly once, closed windows last.
        var all = new List<GetInbox.Row>();
        for (var page = 0; page < 3; page++) all.AddRange((await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, page, 30), default)).Rows);
        Assert.Equal(68, all.Select(r => r.ConversationId).Distinct().Count());
        Assert.Equal(closed.Select(c => c.ConversationId).OrderBy(x => x), all.TakeLast(3).Select(r => r.ConversationId).OrderBy(x => x));

        var newest = await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 0, 30, Sort: InboxSort.Newest), default);
        Assert.Equal(open[0].ConversationId, newest.Rows[0].ConversationId);
        var oldest = await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 0, 30, Sort: InboxSort.Oldest), default);
        Assert.Equal("Closed 0002", oldest.Rows[0].Customer);

        var lane = await inbox.HandleAsync(new(InboxFilter.Blocked, null, 0, 30), default);
        Assert.Equal(5, lane.Total);
        Assert.Contains(lane.Rows, r => r.ConversationId == blocked[0].ConversationId && r.Blocked);
        Assert.Contains(lane.Rows, r => r.Customer == "Failed 0000" && !r.Blocked);

        // A person in danger heads the blocked lane, ahead of a pinned conversation and of older waits.
        var inDanger = blocked[^1].ConversationId;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            await db.Drafts.IgnoreQueryFilters().Where(d => d.ConversationId == inDanger).ExecuteUpdateAsync(s => s.SetProperty(d => d.StateReason, "SelfHarm"));
            await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == blocked[0].ConversationId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Pinned, true));
        }
        var urgent = await inbox.HandleAsync(new(InboxFilter.Blocked, null, 0, 30), default);
        Assert.Equal([inDanger, blocked[0].ConversationId], urgent.Rows.Take(2).Select(r => r.ConversationId));
        Assert.Equal([true, false], urgent.Rows.Take(2).Select(r => r.Danger)); // the row says so (the home list and its marker read it)
        // So does "All": a person at risk is not just a shield among the other rows there.
        var everyone = await inbox.HandleAsync(new(InboxFilter.All, null, 0, 100, Sort: InboxSort.Urgent), default);
        Assert.Equal([inDanger], everyone.Rows.Where(r => r.Danger).Select(r => r.ConversationId));
        // Most urgent first, it heads "All" too, ahead of the pinned conversation and of the newer pending drafts.
        Assert.Equal([inDanger, blocked[0].ConversationId], everyone.Rows.Take(2).Select(r => r.ConversationId));
        var newestFirst = await inbox.HandleAsync(new(InboxFilter.All, null, 0, 100, Sort: InboxSort.Newest), default);
        Assert.Equal(blocked[0].ConversationId, newestFirst.Rows[0].ConversationId); // another order keeps only the pins first
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Blocked_and_failed_drafts_expire_with_the_workspace_ttl_like_pending_ones(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var old = DateTime.UtcNow.AddDays(-20);
        var stale = new List<Guid>();
        foreach (var state in new[] { DraftState.Pending, DraftState.Blocked, DraftState.Failed })
            stale.AddRange((await WaitingConversations.SeedAsync(app.Services, tenant, 2, old, TimeSpan.FromHours(1), state: state, namePrefix: state.ToString()))
                .Select(c => c.ConversationId));
        var fresh = await WaitingConversations.SeedAsync(app.Services, tenant, 1, DateTime.UtcNow, TimeSpan.Zero, state: DraftState.Blocked, namePrefix: "Fresh");

        var sp = app.Services;
        var expire = new ExpireStaleDrafts(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<Hangfire.IBackgroundJobClient>(),
            sp.GetRequiredService<LiveFeed>(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ExpireStaleDrafts>.Instance);
        Assert.True(await expire.HandleAsync(default) >= 6);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var states = await db.Drafts.IgnoreQueryFilters().Where(d => stale.Contains(d.ConversationId) || d.ConversationId == fresh[0].ConversationId)
            .ToDictionaryAsync(d => d.ConversationId, d => d.State);
        Assert.All(stale, id => Assert.Equal(DraftState.Expired, states[id]));
        Assert.Equal(DraftState.Blocked, states[fresh[0].ConversationId]);
        var audited = await db.AuditEvents.IgnoreQueryFilters().Where(a => a.Action == "draft.expired").Select(a => a.Before).ToListAsync();
        Assert.Contains(audited, b => b!.Contains("Blocked"));
        Assert.Contains(audited, b => b!.Contains("Failed"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_customer_left_without_a_reply_stays_in_the_review_lane_until_answered_or_resolved(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var now = DateTime.UtcNow;
        var rejected = await WaitingConversations.SeedAsync(app.Services, tenant, 3, now.AddMinutes(-3), TimeSpan.FromMinutes(1), namePrefix: "Rejected");
        var aiOff = await WaitingConversations.SeedAsync(app.Services, tenant, 1, now.AddMinutes(-10), TimeSpan.Zero, namePrefix: "Off");
        // Rejected two days ago: as old as a draft the TTL would have expired, so no longer work for the lane.
        var stale = await WaitingConversations.SeedAsync(app.Services, tenant, 1, now.AddDays(-2), TimeSpan.Zero, state: DraftState.Rejected, namePrefix: "Stale");
        var factory = app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Drafts.IgnoreQueryFilters().Where(d => d.ConversationId == aiOff[0].ConversationId).ExecuteDeleteAsync();
            await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == aiOff[0].ConversationId).ExecuteUpdateAsync(s => s.SetProperty(c => c.AiMode, AiMode.Off));
        }

        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        var inbox = scope.ServiceProvider.GetRequiredService<GetInbox>();
        var review = scope.ServiceProvider.GetRequiredService<ReviewDraft>();
        var before = await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 0, 100), default);
        foreach (var c in rejected)
        {
            await using var db = await factory.CreateDbContextAsync();
            var draft = await db.Drafts.IgnoreQueryFilters().SingleAsync(d => d.ConversationId == c.ConversationId);
            Assert.IsType<ReviewDraft.Result.Rejected>(await review.RejectAsync(draft.Id, draft.Version, "Wrong order", default));
        }

        var lane = await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 0, 100), default);
        Assert.Equal(before.Total, lane.Total); // rejected, yet still waiting: nothing left the lane
        Assert.Equal(lane.Total, lane.PendingTotal);
        var waiting = lane.Rows.Where(r => r.AwaitingReply).Select(r => r.Customer).Order().ToList();
        Assert.Equal(["Off 0000", "Rejected 0000", "Rejected 0001", "Rejected 0002"], waiting);
        Assert.All(lane.Rows.Where(r => r.AwaitingReply), r => Assert.Equal(0, r.PendingDrafts));
        Assert.DoesNotContain(lane.Rows, r => r.ConversationId == stale[0].ConversationId);
        Assert.True((await scope.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(rejected[0].ConversationId, default))!.AwaitingReply);
        // The home page's "conversations waiting" counts them too, as the lanes and the navigation badge do.
        var alerts = await scope.ServiceProvider.GetRequiredService<GetInboxAlerts>().HandleAsync(default);
        Assert.Equal(lane.Total, alerts.Review);
        Assert.Equal(alerts.Total, (await scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Home.GetMyDay>().HandleAsync(default)).WaitingNow);
        // "All" marks the same conversations: one still owed a reply does not look answered there.
        var everyone = await inbox.HandleAsync(new(InboxFilter.All, "Rejected 000", 0, 100), default);
        Assert.Equal(["Rejected 0000", "Rejected 0001", "Rejected 0002"], everyone.Rows.Where(r => r.AwaitingReply).Select(r => r.Customer).Order());

        // A reply by hand, or resolving the conversation, ends the wait; the customer writing again brings a new draft instead.
        Assert.IsType<ReviewDraft.Result.Sent>(await review.SendOwnReplyAsync(rejected[0].ConversationId, "Sorry, let me check that for you.", default));
        await scope.ServiceProvider.GetRequiredService<UpdateConversation>().SetStatusAsync(rejected[1].ConversationId, ConversationStatus.Resolved, default);
        var after = await inbox.HandleAsync(new(InboxFilter.NeedsReview, null, 0, 100), default);
        Assert.Equal(["Off 0000", "Rejected 0002"], after.Rows.Where(r => r.AwaitingReply).Select(r => r.Customer).Order());
        Assert.Equal(lane.Total - 2, after.Total);
        Assert.False((await scope.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(rejected[0].ConversationId, default))!.AwaitingReply);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Whoever_answers_a_person_at_risk_takes_the_conversation_and_it_stays_pinned(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var held = await WaitingConversations.SeedAsync(app.Services, tenant, 2, DateTime.UtcNow.AddMinutes(-1), TimeSpan.FromMinutes(1), state: DraftState.Blocked, namePrefix: "Held");
        var factory = app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
            await db.Drafts.IgnoreQueryFilters().Where(d => d.ConversationId == held[0].ConversationId).ExecuteUpdateAsync(s => s.SetProperty(d => d.StateReason, "SelfHarm"));

        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        await using var scope = app.Services.ForTenant(tenant, agent);
        var review = scope.ServiceProvider.GetRequiredService<ReviewDraft>();
        foreach (var c in held)
        {
            await using var db = await factory.CreateDbContextAsync();
            var draft = await db.Drafts.IgnoreQueryFilters().SingleAsync(d => d.ConversationId == c.ConversationId);
            Assert.IsType<ReviewDraft.Result.Sent>(await review.ApproveAsync(draft.Id, draft.Version, null, default));
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            var after = await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == held[0].ConversationId || c.Id == held[1].ConversationId)
                .ToDictionaryAsync(c => c.Id);
            Assert.Equal((agent, true), (after[held[0].ConversationId].AssigneeUserId, after[held[0].ConversationId].Pinned));
            // An insult answered: the sender owns it as any answer's sender does, and nothing pins it.
            Assert.Equal((agent, false), (after[held[1].ConversationId].AssigneeUserId, after[held[1].ConversationId].Pinned));
        }
        var mine = await scope.ServiceProvider.GetRequiredService<GetInbox>().HandleAsync(new(InboxFilter.Mine, null, 0, 30), default);
        Assert.Equal(held[0].ConversationId, mine.Rows[0].ConversationId);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Most_urgent_over_every_conversation_puts_the_waiting_ones_before_the_answered_ones(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var now = DateTime.UtcNow;
        var answered = await WaitingConversations.SeedAsync(app.Services, tenant, 3, now.AddMinutes(-1), TimeSpan.FromMinutes(1), state: DraftState.Approved, namePrefix: "Answered");
        var waiting = await WaitingConversations.SeedAsync(app.Services, tenant, 2, now.AddHours(-2), TimeSpan.FromMinutes(1), namePrefix: "Waiting");

        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        var inbox = scope.ServiceProvider.GetRequiredService<GetInbox>();
        var urgent = (await inbox.HandleAsync(new(InboxFilter.All, null, 0, 100), default)).Rows.Select(r => r.Customer).ToList();
        Assert.True(urgent.IndexOf("Waiting 0001") < urgent.IndexOf("Answered 0000"), string.Join(", ", urgent));
        Assert.Equal(["Waiting 0000", "Waiting 0001"], urgent.Where(c => c.StartsWith("Waiting")));
        // Newest first is plain activity order: the answered ones, active later, come first.
        var newest = (await inbox.HandleAsync(new(InboxFilter.All, null, 0, 100, Sort: InboxSort.Newest), default)).Rows.Select(r => r.Customer).ToList();
        Assert.True(newest.IndexOf("Answered 0002") < newest.IndexOf("Waiting 0000"));
    }
}
