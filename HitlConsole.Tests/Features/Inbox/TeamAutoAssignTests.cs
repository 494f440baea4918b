using HitlConsole.Features.Pipeline;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Inbox.Teams;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>Teams, automatic assignment of new conversations (round robin, capped, away and idle people skipped) and idle → away, on both databases.</summary>
public sealed class TeamAutoAssignTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private sealed record World(HitlAppFactory App, Guid Tenant, string Agent, string Admin) : IAsyncDisposable
    {
        public IDbContextFactory<HitlDbContext> Db => App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<World> WorldAsync(DatabaseProvider provider)
    {
        var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        return new World(app, tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent), await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
    }

    private static async Task<T> AsAsync<T>(World w, string userId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = w.App.Services.ForTenant(w.Tenant, userId);
        return await work(scope.ServiceProvider);
    }

    private static Task<ManageTeams.Result> RoundRobinAsync(World w, int cap, Guid? team = null) =>
        AsAsync(w, w.Admin, sp => sp.GetRequiredService<ManageTeams>().SaveSettingsAsync(new ManageTeams.Settings(AutoAssignMode.RoundRobin, cap, team), default));

    /// <summary>Only the given people are active (seen a minute ago); everybody else in the workspace last used a console long ago.</summary>
    private static async Task ActiveAsync(World w, params string[] userIds)
    {
        await using var db = await w.Db.CreateDbContextAsync();
        var members = db.WorkspaceMembers.IgnoreQueryFilters().Where(m => m.TenantId == w.Tenant);
        await members.ExecuteUpdateAsync(s => s.SetProperty(m => m.LastActiveUtc, DateTime.UtcNow.AddDays(-1)).SetProperty(m => m.Away, false));
        await members.Where(m => userIds.Contains(m.UserId)).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastActiveUtc, DateTime.UtcNow.AddMinutes(-1)));
    }

    private static async Task<(Guid Id, string? Assignee)> ArriveAsync(World w, string phone)
    {
        await using var scope = w.App.Services.ForTenant(w.Tenant, w.Agent);
        var id = (await scope.ServiceProvider.GetRequiredService<SimulatorChat>().SendAsCustomerAsync(phone, "Nora", "where is my parcel?", default))!.Value;
        await using var db = await w.Db.CreateDbContextAsync();
        return (id, await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == id).Select(c => c.AssigneeUserId).SingleAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Team_round_robin_gives_new_conversations_in_turn_and_passes_over_someone_away(DatabaseProvider provider)
    {
        await using var w = await WorldAsync(provider);
        var (off, offAssignee) = await ArriveAsync(w, "+34600000100");
        Assert.Null(offAssignee); // off by default

        Assert.IsType<ManageTeams.Result.Done>(await RoundRobinAsync(w, cap: 10));
        await ActiveAsync(w, w.Agent, w.Admin);
        var events = new List<LiveEvent>();
        using var sub = w.App.Services.GetRequiredService<LiveFeed>().Subscribe(w.Tenant, e => { lock (events) events.Add(e); return Task.CompletedTask; });

        var first = await ArriveAsync(w, "+34600000101");
        var second = await ArriveAsync(w, "+34600000102");
        var third = await ArriveAsync(w, "+34600000103");
        var inOrder = new[] { w.Agent, w.Admin }.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(string.Join('|', inOrder[0], inOrder[1], inOrder[0]), string.Join('|', first.Assignee, second.Assignee, third.Assignee));
        // A customer who writes again stays where they are.
        Assert.Equal(first.Id, (await ArriveAsync(w, "+34600000101")).Id);

        await AsAsync(w, w.Agent, async sp => { await sp.GetRequiredService<SetAgentStatus>().SetAwayAsync(true, default); return 0; });
        Assert.Equal(w.Admin, (await ArriveAsync(w, "+34600000104")).Assignee);
        Assert.Equal(w.Admin, (await ArriveAsync(w, "+34600000105")).Assignee);

        await using var db = await w.Db.CreateDbContextAsync();
        var audit = await db.AuditEvents.IgnoreQueryFilters().Where(a => a.EntityId == first.Id.ToString()).Select(a => new { a.Action, a.ActorUserId }).SingleAsync();
        Assert.Equal(("conversation.assigned", (string?)null), (audit.Action, audit.ActorUserId));
        lock (events) Assert.Contains(events, e => e.ConversationId == first.Id && e.Payload is AssignmentChanged { AssigneeUserId: var to } && to == first.Assignee);
        Assert.Equal(w.Admin, await db.Tenants.Where(t => t.Id == w.Tenant).Select(t => t.AutoAssignLastUserId).SingleAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Team_cap_and_idleness_leave_a_conversation_unassigned_when_nobody_can_take_it(DatabaseProvider provider)
    {
        await using var w = await WorldAsync(provider);
        await RoundRobinAsync(w, cap: 1);
        await ActiveAsync(w, w.Agent);

        Assert.Equal(w.Agent, (await ArriveAsync(w, "+34600000201")).Assignee);
        Assert.Null((await ArriveAsync(w, "+34600000202")).Assignee); // the agent is at the cap, the admin idle

        // Only a team's members receive conversations when the workspace names a team.
        var team = Assert.IsType<ManageTeams.Result.Done>(await AsAsync(w, w.Admin, sp => sp.GetRequiredService<ManageTeams>().CreateAsync("Returns", default))).Id!.Value;
        await AsAsync(w, w.Admin, sp => sp.GetRequiredService<ManageTeams>().SetMemberAsync(team, w.Admin, member: true, lead: false, default));
        await RoundRobinAsync(w, cap: 5, team);
        await ActiveAsync(w, w.Agent, w.Admin);
        var arrived = await ArriveAsync(w, "+34600000203");
        Assert.Equal(w.Admin, arrived.Assignee);
        await using var db = await w.Db.CreateDbContextAsync();
        Assert.Equal(team, await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == arrived.Id).Select(c => c.TeamId).SingleAsync());

        // The inbox's team filter shows the team's conversations only.
        var page = await AsAsync(w, w.Agent, sp => sp.GetRequiredService<GetInbox>().HandleAsync(
            new GetInbox.Query(InboxFilter.All, null, 0, 30, Narrow: new GetInbox.Narrowing(Team: team)), default));
        Assert.Equal([arrived.Id], page.Rows.Select(r => r.ConversationId));
    }

    [Fact]
    public void Team_filter_travels_in_the_inbox_url()
    {
        var team = Guid.NewGuid();
        var view = InboxView.Parse(k => k == "team" ? team.ToString() : null);
        Assert.Equal(team, view.Team);
        Assert.Equal(team.ToString(), view.ToQuery()["team"]);
        Assert.Equal(1, view.FilterCount);
        Assert.Null(InboxView.Parse(k => k == "team" ? "not-a-team" : null).Team);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Team_arrivals_at_the_same_moment_never_give_anyone_more_than_the_cap(DatabaseProvider provider)
    {
        await using var w = await WorldAsync(provider);
        await RoundRobinAsync(w, cap: 2);
        await ActiveAsync(w, w.Agent);
        var (seed, _) = await ArriveAsync(w, "+34600000300"); // assigned: one left under the cap
        Conversation template;
        await using (var db = await w.Db.CreateDbContextAsync()) template = await db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == seed);

        // Separate transactions, as two instances would run them, each creating a conversation and assigning it.
        async Task<string?> StartAsync()
        {
            await using var scope = w.App.Services.GetRequiredService<IServiceScopeFactory>().CreateTenantScope(w.Tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            using (await SqliteWriteGate.EnterAsync(db.Database, default))
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                var conversation = new Conversation { ChannelId = template.ChannelId, ContactId = template.ContactId, CreatedUtc = DateTime.UtcNow, LastActivityUtc = DateTime.UtcNow };
                db.Conversations.Add(conversation);
                await AssignAutomatically.TryAssignAsync(db, w.Tenant, conversation, DateTime.UtcNow, TimeSpan.FromMinutes(15), default);
                await db.SaveChangesAsync();
                await tx.CommitAsync();
                return conversation.AssigneeUserId;
            }
        }
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(StartAsync)));

        Assert.Single(results, r => r == w.Agent);
        await using var check = await w.Db.CreateDbContextAsync();
        Assert.Equal(2, await check.Conversations.IgnoreQueryFilters().CountAsync(c => c.TenantId == w.Tenant && c.AssigneeUserId == w.Agent && c.Status == ConversationStatus.Open));
    }

    [Fact]
    public void Team_round_robin_starts_after_the_last_person_served_and_wraps_round()
    {
        string[] people = ["a", "b", "c"];
        Assert.Equal("a", AssignAutomatically.NextInTurn(people, null, _ => true));
        Assert.Equal("c", AssignAutomatically.NextInTurn(people, "b", _ => true));
        Assert.Equal("a", AssignAutomatically.NextInTurn(people, "c", _ => true));
        Assert.Equal("c", AssignAutomatically.NextInTurn(people, "bb", _ => true)); // the last one left the workspace
        Assert.Equal("b", AssignAutomatically.NextInTurn(people, "c", id => id != "a"));
        Assert.Null(AssignAutomatically.NextInTurn(people, "a", _ => false));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Team_console_idle_for_the_configured_minutes_shows_away_and_activity_brings_back_only_an_automatic_away(DatabaseProvider provider)
    {
        await using var w = await WorldAsync(provider);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var consoles = new ActiveConsoles();
        var sp = w.App.Services;
        await using var scope = sp.ForTenant(w.Tenant, w.Agent);
        var circuit = new ReviewCircuit(sp.GetRequiredService<PresenceTracker>(), scope.ServiceProvider.GetRequiredService<DraftLeases>(), clock, consoles);
        var sweeper = new IdleAwaySweeper(consoles, sp.GetRequiredService<IServiceScopeFactory>(), clock, Options.Create(new TeamOptions()), NullLogger<IdleAwaySweeper>.Instance);
        circuit.Show(w.Tenant, w.Agent, "Alex Agent", null, null);
        bool ShownAway() => sp.GetRequiredService<PresenceTracker>().Online(w.Tenant).Single(p => p.UserId == w.Agent).Away;

        await sweeper.SweepAsync(default);
        await using (var db = await w.Db.CreateDbContextAsync())
            Assert.Equal(clock.GetUtcNow().UtcDateTime, (await db.WorkspaceMembers.IgnoreQueryFilters().Where(m => m.UserId == w.Agent && m.TenantId == w.Tenant).Select(m => m.LastActiveUtc).SingleAsync())!.Value, TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromMinutes(14));
        await sweeper.SweepAsync(default);
        Assert.False(ShownAway());
        clock.Advance(TimeSpan.FromMinutes(1));
        await sweeper.SweepAsync(default);
        Assert.True(ShownAway());
        Assert.True(circuit.AutoAway);

        circuit.Touch();
        Assert.False(ShownAway());

        // Chosen away stays away whatever the person does.
        circuit.SetAway(true);
        circuit.Touch();
        Assert.True(ShownAway());
        await circuit.GoneAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Team_admins_manage_teams_agents_cannot_and_a_lead_hands_conversations_to_their_team(DatabaseProvider provider)
    {
        await using var w = await WorldAsync(provider);
        var manage = (string user) => (Func<Func<ManageTeams, Task<ManageTeams.Result>>, Task<ManageTeams.Result>>)(f => AsAsync(w, user, sp => f(sp.GetRequiredService<ManageTeams>())));

        Assert.Equal(new ManageTeams.Result.Refused("TeamsRefusedRole"), await manage(w.Agent)(m => m.CreateAsync("Billing", default)));
        Assert.Equal(new ManageTeams.Result.Refused("TeamNameRequired"), await manage(w.Admin)(m => m.CreateAsync("  ", default)));
        var team = Assert.IsType<ManageTeams.Result.Done>(await manage(w.Admin)(m => m.CreateAsync("Billing", default))).Id!.Value;
        Assert.Equal(new ManageTeams.Result.Refused("TeamNameTaken"), await manage(w.Admin)(m => m.CreateAsync(" Billing ", default)));
        Assert.Equal(new ManageTeams.Result.Refused("TeamNameTaken"), await manage(w.Admin)(m => m.CreateAsync("billing", default))); // one team to people
        var other = Assert.IsType<ManageTeams.Result.Done>(await manage(w.Admin)(m => m.CreateAsync("Facturación", default))).Id!.Value;
        Assert.Equal(new ManageTeams.Result.Refused("TeamNameTaken"), await manage(w.Admin)(m => m.RenameAsync(other, "BILLING", default)));
        Assert.Equal(new ManageTeams.Result.Refused("TeamNameTaken"), await manage(w.Admin)(m => m.CreateAsync("FACTURACIÓN", default)));
        Assert.IsType<ManageTeams.Result.Done>(await manage(w.Admin)(m => m.DeleteAsync(other, default)));
        Assert.IsType<ManageTeams.Result.Done>(await manage(w.Admin)(m => m.RenameAsync(team, "billing", default))); // its own name in other capitals
        Assert.IsType<ManageTeams.Result.Done>(await manage(w.Admin)(m => m.RenameAsync(team, "Payments", default)));
        Assert.Equal(new ManageTeams.Result.Refused("AutoAssignCapInvalid"), await manage(w.Admin)(m => m.SaveSettingsAsync(new(AutoAssignMode.RoundRobin, 0, null), default)));

        var (conversation, _) = await ArriveAsync(w, "+34600000500");
        Task<AssignConversation.Result> Assign(string by, string? to) => AsAsync(w, by, sp => sp.GetRequiredService<AssignConversation>().AssignAsync(conversation, to, default));
        Assert.Equal(new AssignConversation.Result.Refused("AssignRefusedOthers"), await Assign(w.Agent, w.Admin));

        await manage(w.Admin)(m => m.SetMemberAsync(team, w.Agent, member: true, lead: true, default));
        Assert.Equal(new AssignConversation.Result.Refused("AssignRefusedOthers"), await Assign(w.Agent, w.Admin)); // not in the team yet
        await manage(w.Admin)(m => m.SetMemberAsync(team, w.Admin, member: true, lead: false, default));
        Assert.Equal(new AssignConversation.Result.Assigned(w.Admin), await Assign(w.Agent, w.Admin));
        Assert.True((await AsAsync(w, w.Agent, sp => sp.GetRequiredService<TeamMembers>().HandleAsync(default))).CanAssignOthers);

        var overview = await AsAsync(w, w.Admin, sp => sp.GetRequiredService<ManageTeams>().GetAsync(default));
        var row = Assert.Single(overview.Teams);
        Assert.Equal("Payments", row.Name);
        Assert.Equal([true, false], row.Members.OrderBy(m => m.UserId == w.Agent ? 0 : 1).Select(m => m.IsLead));

        Assert.IsType<ManageTeams.Result.Done>(await manage(w.Admin)(m => m.DeleteAsync(team, default)));
        await using var db = await w.Db.CreateDbContextAsync();
        Assert.False(await db.TeamMembers.IgnoreQueryFilters().AnyAsync(m => m.TeamId == team));
    }
}
