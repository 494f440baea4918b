using HitlConsole.Features.Pipeline;
using System.Collections.Concurrent;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>Working as a team: who owns a conversation, internal notes and @mentions — role checks, audit and live events, on both databases.</summary>
public sealed class TeamWorkTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private sealed record World(HitlAppFactory App, Guid Tenant, string Agent, string Admin, string Manager, Guid ConversationId) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<World> WorldAsync(DatabaseProvider provider)
    {
        var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        var manager = await app.Services.UserIdAsync(tenant, DemoUsers.Manager);
        await using var scope = app.Services.ForTenant(tenant, agent);
        var conversationId = (await scope.ServiceProvider.GetRequiredService<SimulatorChat>()
            .SendAsCustomerAsync("+34600123999", "Nora", "how do I track my parcel?", default))!.Value;
        return new World(app, tenant, agent, admin, manager, conversationId);
    }

    private static async Task<T> AsAsync<T>(World w, string userId, Func<IServiceProvider, Task<T>> work, Guid? tenant = null)
    {
        await using var scope = w.App.Services.ForTenant(tenant ?? w.Tenant, userId);
        return await work(scope.ServiceProvider);
    }

    private static Task<AssignConversation.Result> AssignAsync(World w, string by, string? to) =>
        AsAsync(w, by, sp => sp.GetRequiredService<AssignConversation>().AssignAsync(w.ConversationId, to, default));

    private static async Task<(string? Assignee, List<string> Audit)> StoredAsync(World w)
    {
        await using var db = await w.App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var assignee = await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == w.ConversationId).Select(c => c.AssigneeUserId).SingleAsync();
        var audit = await db.AuditEvents.IgnoreQueryFilters().Where(a => a.EntityId == w.ConversationId.ToString()).OrderBy(a => a.Id)
            .Select(a => a.Action).ToListAsync();
        return (assignee, audit);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_agent_takes_a_conversation_and_lets_it_go_but_cannot_hand_it_to_someone_else(DatabaseProvider provider)
    {
        await using var w = await WorldAsync(provider);

        Assert.Equal(new AssignConversation.Result.Assigned(w.Agent), await AssignAsync(w, w.Agent, w.Agent));
        var row = (await AsAsync(w, w.Admin, sp => sp.GetRequiredService<GetInbox>().HandleAsync(new GetInbox.Query(InboxFilter.All, null, 0, 30), default)))
            .Rows.Single(r => r.ConversationId == w.ConversationId);
        Assert.Equal(("Alex Agent", w.Agent), (row.AssigneeName, row.AssigneeUserId));
        var view = await AsAsync(w, w.Admin, sp => sp.GetRequiredService<GetConversation>().HandleAsync(w.ConversationId, default));
        Assert.Equal("Alex Agent", view!.AssigneeName);
        var mine = await AsAsync(w, w.Agent, sp => sp.GetRequiredService<GetInbox>().HandleAsync(new GetInbox.Query(InboxFilter.Mine, null, 0, 30), default));
        Assert.Contains(mine.Rows, r => r.ConversationId == w.ConversationId);

        Assert.Equal(new AssignConversation.Result.Refused("AssignRefusedOthers"), await AssignAsync(w, w.Agent, w.Admin));
        Assert.Equal(new AssignConversation.Result.Assigned(null), await AssignAsync(w, w.Agent, null));
        var (assignee, audit) = await StoredAsync(w);
        Assert.Null(assignee);
        Assert.Equal(["conversation.assigned", "conversation.unassigned"], audit);

        // Taken by the Admin, the agent may take it back for themselves but not unassign the Admin.
        Assert.IsType<AssignConversation.Result.Assigned>(await AssignAsync(w, w.Admin, w.Admin));
        Assert.Equal(new AssignConversation.Result.Refused("AssignRefusedOthers"), await AssignAsync(w, w.Agent, null));
        Assert.Equal(new AssignConversation.Result.Assigned(w.Agent), await AssignAsync(w, w.Agent, w.Agent));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_admin_hands_a_conversation_to_any_member_everyone_hears_it_live_and_a_manager_cannot_assign(DatabaseProvider provider)
    {
        await using var w = await WorldAsync(provider);
        var heard = new ConcurrentQueue<LiveEvent>();
        using var sub = w.App.Services.GetRequiredService<LiveFeed>().Subscribe(w.Tenant, e => { heard.Enqueue(e); return Task.CompletedTask; });

        Assert.Equal(new AssignConversation.Result.Assigned(w.Agent), await AssignAsync(w, w.Admin, w.Agent));
        var e = await Eventually.GetAsync(() => Task.FromResult(heard.FirstOrDefault(x => x.Payload is AssignmentChanged)));
        Assert.Equal((w.ConversationId, new AssignmentChanged(w.Agent, w.Admin)), (e.ConversationId, (AssignmentChanged)e.Payload!));

        Assert.IsType<AssignConversation.Result.Assigned>(await AssignAsync(w, w.Admin, w.Admin)); // reassigned
        Assert.Equal(new AssignConversation.Result.Refused("AssignRefusedMember"), await AssignAsync(w, w.Admin, w.Manager)); // managers do not work conversations
        Assert.Equal(new AssignConversation.Result.Refused("AssignRefusedMember"), await AssignAsync(w, w.Admin, "no-such-user"));
        Assert.Equal(new AssignConversation.Result.Refused("AssignRefusedRole"), await AssignAsync(w, w.Manager, w.Manager));
        Assert.Equal(new AssignConversation.Result.Refused("AssignRefusedRole"), await AssignAsync(w, w.Manager, null));
        Assert.Equal(new AssignConversation.Result.Assigned(null), await AssignAsync(w, w.Admin, null));

        var (assignee, audit) = await StoredAsync(w);
        Assert.Null(assignee);
        Assert.Equal(["conversation.assigned", "conversation.assigned", "conversation.unassigned"], audit);

        var team = await AsAsync(w, w.Admin, sp => sp.GetRequiredService<TeamMembers>().HandleAsync(default));
        Assert.True(team.CanAssignOthers);
        Assert.Equal(["Ada Admin", "Alex Agent"], team.Members.Select(m => m.Name));
        Assert.False((await AsAsync(w, w.Agent, sp => sp.GetRequiredService<TeamMembers>().HandleAsync(default))).CanAssignOthers);
        Assert.False((await AsAsync(w, w.Manager, sp => sp.GetRequiredService<TeamMembers>().HandleAsync(default))).CanAct);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_note_shows_in_the_timeline_is_never_a_message_and_alerts_the_member_it_mentions_until_they_open_it(DatabaseProvider provider)
    {
        await using var w = await WorldAsync(provider);
        var heard = new ConcurrentQueue<LiveEvent>();
        using var sub = w.App.Services.GetRequiredService<LiveFeed>().Subscribe(w.Tenant, e => { heard.Enqueue(e); return Task.CompletedTask; });
        int Messages() => AsAsync(w, w.Admin, sp => sp.GetRequiredService<GetConversation>().HandleAsync(w.ConversationId, default)).Result!.Timeline.Count;
        var messagesBefore = Messages();

        var added = Assert.IsType<AddNote.Result.Added>(await AsAsync(w, w.Admin,
            sp => sp.GetRequiredService<AddNote>().HandleAsync(w.ConversationId, "VIP customer, @alex please call her back. Ask @Ada later.", default)));
        Assert.Equal(["Alex Agent"], added.Mentioned); // the writer is not alerted about their own note

        var view = await AsAsync(w, w.Agent, sp => sp.GetRequiredService<GetConversation>().HandleAsync(w.ConversationId, default));
        var note = Assert.Single(view!.Notes);
        Assert.Equal(("Ada Admin", "VIP customer, @alex please call her back. Ask @Ada later."), (note.AuthorName, note.Text));
        Assert.Equal(messagesBefore, view.Timeline.Count);
        await using (var db = await w.App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.False(await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.Text != null && m.Text.Contains("VIP customer")));

        var live = await Eventually.GetAsync(() => Task.FromResult(heard.FirstOrDefault(x => x.Payload is NoteAdded)));
        Assert.Equal([w.Agent], ((NoteAdded)live.Payload!).MentionedUserIds);
        var unseen = Assert.Single(await AsAsync(w, w.Agent, sp => sp.GetRequiredService<MyMentions>().UnseenAsync(default)));
        Assert.Equal((w.ConversationId, "Nora", "Ada Admin"), (unseen.ConversationId, unseen.Customer, unseen.ByName));
        Assert.Empty(await AsAsync(w, w.Admin, sp => sp.GetRequiredService<MyMentions>().UnseenAsync(default)));

        Assert.True(await AsAsync(w, w.Agent, sp => sp.GetRequiredService<MyMentions>().MarkSeenAsync(w.ConversationId, default)));
        Assert.Empty(await AsAsync(w, w.Agent, sp => sp.GetRequiredService<MyMentions>().UnseenAsync(default)));

        // Managers read; notes are written by the people who work conversations. Empty notes are refused.
        Assert.Equal(new AddNote.Result.Refused("NoteRefusedRole"),
            await AsAsync(w, w.Manager, sp => sp.GetRequiredService<AddNote>().HandleAsync(w.ConversationId, "hello", default)));
        Assert.Equal(new AddNote.Result.Refused("NoteEmpty"),
            await AsAsync(w, w.Agent, sp => sp.GetRequiredService<AddNote>().HandleAsync(w.ConversationId, "   ", default)));
        Assert.Contains("conversation.note-added", (await StoredAsync(w)).Audit);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_workspaces_admin_can_neither_assign_nor_annotate_nor_see_notes_of_this_workspace(DatabaseProvider provider)
    {
        await using var w = await WorldAsync(provider);
        await AsAsync(w, w.Admin, sp => sp.GetRequiredService<AddNote>().HandleAsync(w.ConversationId, "Only for demo, @alex", default));
        var (other, otherAdmin, _) = await w.App.Services.CreateOtherTenantAsync();

        Assert.IsType<AssignConversation.Result.NotFound>(await AsAsync(w, otherAdmin,
            sp => sp.GetRequiredService<AssignConversation>().AssignAsync(w.ConversationId, otherAdmin, default), other));
        Assert.IsType<AddNote.Result.NotFound>(await AsAsync(w, otherAdmin,
            sp => sp.GetRequiredService<AddNote>().HandleAsync(w.ConversationId, "from elsewhere", default), other));
        // The demo Admin cannot hand the conversation to a member of the other workspace.
        Assert.Equal(new AssignConversation.Result.Refused("AssignRefusedMember"), await AssignAsync(w, w.Admin, otherAdmin));
        var team = await AsAsync(w, otherAdmin, sp => sp.GetRequiredService<TeamMembers>().HandleAsync(default), other);
        Assert.Equal(["Other Admin"], team.Members.Select(m => m.Name));
        Assert.Empty(await AsAsync(w, otherAdmin, sp => sp.GetRequiredService<MyMentions>().UnseenAsync(default), other));
        Assert.Null(await AsAsync(w, otherAdmin, sp => sp.GetRequiredService<GetConversation>().HandleAsync(w.ConversationId, default), other));
        Assert.Null((await StoredAsync(w)).Assignee);
    }

    [Fact]
    public void Mentions_match_first_names_and_email_names_whatever_the_case_and_accents()
    {
        TeamMembers.Member[] team =
        [
            new("1", "Lucía Pérez", Roles.Agent, Mentions.HandleOf("Lucía Pérez", "lp@x.test"), "lp@x.test"),
            new("2", "Alex Agent", Roles.Agent, Mentions.HandleOf("Alex Agent", "agent@demo.local"), "agent@demo.local"),
            new("3", "", Roles.Admin, Mentions.HandleOf("", "boss@x.test"), "boss@x.test"),
        ];
        Assert.Equal("lucia", team[0].Handle);
        Assert.Equal(["1", "2", "3"], Mentions.Find("@LUCIA and @agent, cc @boss.", team).Select(m => m.UserId));
        Assert.Empty(Mentions.Find("mail alex@example.com or @nobody", team));
        // What names nobody is said (a Manager is not mentionable): an e-mail address is not an @mention.
        Assert.Equal(["morgan", "Nobody"], Mentions.Unknown("@morgan please check, cc @LUCIA @Nobody @nobody. mail alex@example.com", team));
        Assert.Empty(Mentions.Unknown("@lucía and @agent", team));
    }

    [Fact]
    public void People_who_share_a_first_name_get_handles_that_tell_them_apart()
    {
        var team = Mentions.Distinct(
        [
            new("1", "Alex García", Roles.Agent, Mentions.HandleOf("Alex García", "alex.g@x.test"), "alex.g@x.test"),
            new("2", "Alex Pérez", Roles.Admin, Mentions.HandleOf("Alex Pérez", "alex.p@x.test"), "alex.p@x.test"),
            new("3", "Lucía Pérez", Roles.Agent, Mentions.HandleOf("Lucía Pérez", "lp@x.test"), "lp@x.test"),
        ]);

        Assert.Equal(["alex.g", "alex.p", "lucia"], team.Select(m => m.Handle));
        Assert.Equal(["2"], Mentions.Find("@alex.p can you look?", team).Select(m => m.UserId)); // what the chip inserts
        Assert.Equal(["1", "2"], Mentions.Find("@Alex can you look?", team).Select(m => m.UserId)); // typed by hand: both
        Assert.Empty(Mentions.Unknown("@alex.g @alex @lucia", team));
    }
}
