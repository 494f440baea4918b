using Microsoft.Extensions.Time.Testing;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>Collision control: claims, leases, takeover, and decisions that respect them — on both databases.</summary>
public sealed class DraftClaimTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private sealed record Setup(HitlAppFactory App, Guid Tenant, string Agent, string Admin, Guid DraftId, Guid ConversationId);

    /// <summary>A simulator customer's question drafted by the built-in model (no job server: the job runs inline).</summary>
    private static async Task<Setup> PendingDraftAsync(DatabaseProvider provider, TimeProvider? clock = null, string text = "how do I track my parcel?")
    {
        var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Review:LeaseDuration"] = "00:00:45" },
            clock is null ? null : services => services.AddSingleton(clock));
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        await using var scope = app.Services.ForTenant(tenant, agent);
        var conversationId = (await scope.ServiceProvider.GetRequiredService<SimulatorChat>()
            .SendAsCustomerAsync("+34600123456", "Nora", text, default))!.Value;
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var messageId = await db.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId).Select(m => m.Id).SingleAsync();
        await scope.ServiceProvider.GetRequiredService<GenerateDraft>().HandleAsync(messageId, default);
        var draftId = await db.Drafts.IgnoreQueryFilters().Where(d => d.MessageId == messageId).Select(d => d.Id).SingleAsync();
        return new Setup(app, tenant, agent, admin, draftId, conversationId);
    }

    private static async Task<T> AsAsync<T>(Setup s, string userId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = s.App.Services.ForTenant(s.Tenant, userId);
        return await work(scope.ServiceProvider);
    }

    /// <summary>The conversations in <paramref name="userId"/>'s "Mine" filter.</summary>
    private static async Task<List<Guid>> MineAsync(Setup s, string userId) =>
        (await AsAsync(s, userId, sp => sp.GetRequiredService<GetInbox>().HandleAsync(new(InboxFilter.Mine, null, 0, 10), default)))
            .Rows.Select(r => r.ConversationId).ToList();

    private static async Task<Draft> DraftAsync(Setup s)
    {
        await using var db = await s.App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Drafts.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == s.DraftId);
    }

    private static async Task<List<string>> AuditAsync(Setup s)
    {
        await using var db = await s.App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.IgnoreQueryFilters().Where(a => a.EntityId == s.DraftId.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Two_people_opening_a_draft_at_once_get_one_claim_and_the_other_sees_who(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider);
        await using var _ = s.App;

        var results = await Task.WhenAll(
            AsAsync(s, s.Agent, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, takeOver: false, default)),
            AsAsync(s, s.Admin, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, takeOver: false, default)));

        Assert.Single(results.OfType<DraftLeases.Result.Claimed>());
        var held = Assert.Single(results.OfType<DraftLeases.Result.HeldBy>());
        var holder = (await DraftAsync(s)).ClaimedByUserId;
        Assert.Equal(holder, held.UserId);
        Assert.Equal(holder == s.Agent ? "Alex Agent" : "Ada Admin", held.Name);
        Assert.Equal(["draft.claimed"], await AuditAsync(s));

        // The same person opening it again (another tab) keeps it.
        Assert.IsType<DraftLeases.Result.Claimed>(await AsAsync(s, holder!, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Coming_back_to_a_draft_is_the_same_review_in_the_log_but_another_person_is_recorded(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider);
        await using var _ = s.App;
        Task<DraftLeases.Result> Claim(string user) => AsAsync(s, user, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default));
        Task Release(string user) => AsAsync(s, user, async sp => { await sp.GetRequiredService<DraftLeases>().ReleaseAsync(s.DraftId, default); return 0; });

        for (var visit = 0; visit < 3; visit++)
        {
            Assert.IsType<DraftLeases.Result.Claimed>(await Claim(s.Agent)); // opened, then another conversation opened
            await Release(s.Agent);
        }
        Assert.Equal(["draft.claimed"], await AuditAsync(s));

        Assert.IsType<DraftLeases.Result.Claimed>(await Claim(s.Admin));
        Assert.Equal(["draft.claimed", "draft.claimed"], await AuditAsync(s));
        Assert.Equal(s.Admin, (await DraftAsync(s)).ClaimedByUserId);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task One_person_opening_a_draft_twice_at_once_is_recorded_once(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider);
        await using var _ = s.App;

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            AsAsync(s, s.Agent, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, takeOver: false, default))));

        Assert.All(results, r => Assert.IsType<DraftLeases.Result.Claimed>(r));
        Assert.Equal(s.Agent, (await DraftAsync(s)).ClaimedByUserId);
        Assert.Equal(["draft.claimed"], await AuditAsync(s));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task While_someone_reviews_others_cannot_decide_until_they_take_over(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider);
        await using var _ = s.App;
        Assert.IsType<DraftLeases.Result.Claimed>(await AsAsync(s, s.Agent, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default)));
        var version = (await DraftAsync(s)).Version;

        var refused = await AsAsync(s, s.Admin, sp => sp.GetRequiredService<ReviewDraft>().ApproveAsync(s.DraftId, version, null, default));
        Assert.Equal("Alex Agent", Assert.IsType<ReviewDraft.Result.HeldBy>(refused).Name);
        Assert.IsType<ReviewDraft.Result.HeldBy>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<ReviewDraft>().RejectAsync(s.DraftId, version, "Wrong tone", default)));
        Assert.IsType<ReviewDraft.Result.HeldBy>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<ReviewDraft>().RegenerateAsync(s.DraftId, version, default)));

        Assert.IsType<DraftLeases.Result.Claimed>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, takeOver: true, default)));
        Assert.False(await AsAsync(s, s.Agent, sp => sp.GetRequiredService<DraftLeases>().RenewAsync(s.DraftId, default))); // the agent's editor notices
        var sent = await AsAsync(s, s.Admin, sp => sp.GetRequiredService<ReviewDraft>().ApproveAsync(s.DraftId, version, "Track it under Orders > Tracking.", default));
        Assert.IsType<ReviewDraft.Result.Sent>(sent);

        var late = Assert.IsType<ReviewDraft.Result.AlreadyHandled>(
            await AsAsync(s, s.Agent, sp => sp.GetRequiredService<ReviewDraft>().ApproveAsync(s.DraftId, version, null, default)));
        Assert.Equal(DraftState.EditedAndSent, late.State);
        Assert.Equal("Ada Admin", late.ByName);

        var draft = await DraftAsync(s);
        Assert.Null(draft.ClaimedByUserId);
        Assert.NotNull(draft.OriginalText);
        Assert.Equal(Quickenshtein.Levenshtein.GetDistance(draft.OriginalText!.Trim(), draft.Text), draft.EditDistance);
        Assert.True(draft.EditDistance > 0);
        Assert.Equal(["draft.claimed", "draft.taken-over", "draft.edited-and-sent"], await AuditAsync(s));
        // The reply names who sent it, the customer's message nobody.
        var view = await AsAsync(s, s.Agent, sp => sp.GetRequiredService<GetConversation>().HandleAsync(s.ConversationId, default));
        Assert.Equal(new[] { null, "Ada Admin" }, view!.Timeline.Select(b => b.SentBy));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Whoever_takes_the_draft_over_continues_from_the_edit_its_reviewer_left_unsent(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider);
        await using var _ = s.App;
        Task<DraftLeases.Result> Claim(string user, bool takeOver) =>
            AsAsync(s, user, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, takeOver, default));
        Task<bool> Keep(string user, string? text) =>
            AsAsync(s, user, sp => sp.GetRequiredService<DraftLeases>().KeepUnsentAsync(s.DraftId, text, default));

        Assert.Null(Assert.IsType<DraftLeases.Result.Claimed>(await Claim(s.Agent, false)).Unsent);
        Assert.True(await Keep(s.Agent, "Hola Nora, tu pedido llega mañana."));
        Assert.False(await Keep(s.Admin, "Not mine to write")); // only the holder's typing is kept

        var taken = Assert.IsType<DraftLeases.Result.Claimed>(await Claim(s.Admin, true));
        Assert.Equal(new DraftLeases.UnsentEdit("Hola Nora, tu pedido llega mañana.", s.Agent, "Alex Agent"), taken.Unsent);
        Assert.False(await Keep(s.Agent, "typed after losing the draft"));
        Assert.True(await Keep(s.Admin, "Hola Nora, tu pedido llega mañana antes de las 14:00."));

        // Taken back: the agent continues from the admin's words, not their own older ones nor the model's.
        var back = Assert.IsType<DraftLeases.Result.Claimed>(await Claim(s.Agent, true));
        Assert.Equal(("Hola Nora, tu pedido llega mañana antes de las 14:00.", s.Admin), (back.Unsent!.Text, back.Unsent.ByUserId));

        // Back to the model's text: nothing is left to continue from, and a released draft is claimed plainly.
        Assert.True(await Keep(s.Agent, null));
        await AsAsync(s, s.Agent, async sp => { await sp.GetRequiredService<DraftLeases>().ReleaseAsync(s.DraftId, default); return 0; });
        Assert.Null(Assert.IsType<DraftLeases.Result.Claimed>(await Claim(s.Admin, false)).Unsent);
        var draft = await DraftAsync(s);
        Assert.Equal((null, null), (draft.UnsentText, draft.UnsentByUserId));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_lease_nobody_renews_runs_out_and_the_draft_is_free_again(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var s = await PendingDraftAsync(provider, clock);
        await using var _ = s.App;
        Assert.IsType<DraftLeases.Result.Claimed>(await AsAsync(s, s.Agent, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default)));
        Assert.IsType<DraftLeases.Result.HeldBy>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default)));

        clock.Advance(TimeSpan.FromSeconds(44));
        Assert.IsType<DraftLeases.Result.HeldBy>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default)));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.IsType<DraftLeases.Result.Claimed>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default)));
        var version = (await DraftAsync(s)).Version;
        Assert.IsType<ReviewDraft.Result.Rejected>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<ReviewDraft>().RejectAsync(s.DraftId, version, "Wrong tone: too casual", default)));

        var draft = await DraftAsync(s);
        Assert.Equal(DraftState.Rejected, draft.State);
        Assert.Equal("Wrong tone: too casual", draft.StateReason);
        Assert.Equal(["draft.claimed", "draft.claimed", "draft.rejected"], await AuditAsync(s));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Releasing_gives_the_draft_back_and_opening_it_assigns_nobody(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider);
        await using var _ = s.App;
        await AsAsync(s, s.Agent, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default));
        await AsAsync(s, s.Admin, async sp => { await sp.GetRequiredService<DraftLeases>().ReleaseAsync(s.DraftId, default); return 0; }); // not theirs: no effect
        Assert.Equal(s.Agent, (await DraftAsync(s)).ClaimedByUserId);
        // A look is not a decision: the conversation is nobody's while a person only has it open.
        Assert.Empty(await MineAsync(s, s.Agent));
        await AsAsync(s, s.Agent, async sp => { await sp.GetRequiredService<DraftLeases>().ReleaseAsync(s.DraftId, default); return 0; });
        Assert.Null((await DraftAsync(s)).ClaimedByUserId);
        Assert.Empty(await MineAsync(s, s.Agent));
        Assert.Empty(await MineAsync(s, s.Admin));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_first_person_to_decide_a_draft_is_assigned_the_conversation_and_a_later_decision_does_not_move_it(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider);
        await using var _ = s.App;
        var version = (await DraftAsync(s)).Version;
        Assert.IsType<ReviewDraft.Result.Rejected>(await AsAsync(s, s.Agent, sp => sp.GetRequiredService<ReviewDraft>().RejectAsync(s.DraftId, version, "Wrong tone", default)));
        Assert.Equal([s.ConversationId], await MineAsync(s, s.Agent));

        // The colleague who then answers does not take the conversation from the one who owns it.
        Assert.IsType<ReviewDraft.Result.Sent>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<ReviewDraft>().SendOwnReplyAsync(s.ConversationId, "Track it under Orders > Tracking.", default)));
        Assert.Equal([s.ConversationId], await MineAsync(s, s.Agent));
        Assert.Empty(await MineAsync(s, s.Admin));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_draft_the_guardrail_stopped_is_assigned_to_whoever_answers_it_not_to_whoever_opens_it(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider, text: "Eres un idiota, respondan ya");
        await using var _ = s.App;
        var draft = await DraftAsync(s);
        Assert.Equal(DraftState.Blocked, draft.State);
        // Nobody approves it as it is, so there is no lease to claim, and opening it gives it to nobody.
        Assert.IsType<DraftLeases.Result.NotPending>(await AsAsync(s, s.Agent, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default)));
        Assert.Empty(await MineAsync(s, s.Agent));

        Assert.IsType<ReviewDraft.Result.Sent>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<ReviewDraft>().ApproveAsync(s.DraftId, draft.Version, "We are here to help. What happened with your order?", default)));
        Assert.Equal([s.ConversationId], await MineAsync(s, s.Admin));
        Assert.Empty(await MineAsync(s, s.Agent));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Resolving_a_conversation_closes_the_draft_that_waited_and_it_leaves_the_review_lane(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider);
        await using var _ = s.App;
        Assert.IsType<DraftLeases.Result.Claimed>(await AsAsync(s, s.Agent, sp => sp.GetRequiredService<DraftLeases>().ClaimAsync(s.DraftId, false, default)));
        Task<GetInbox.Result> ReviewLaneAsync() =>
            AsAsync(s, s.Agent, sp => sp.GetRequiredService<GetInbox>().HandleAsync(new(InboxFilter.NeedsReview, null, 0, 10), default));
        Assert.Contains((await ReviewLaneAsync()).Rows, r => r.ConversationId == s.ConversationId);

        Assert.True(await AsAsync(s, s.Agent, sp => sp.GetRequiredService<UpdateConversation>().SetStatusAsync(s.ConversationId, ConversationStatus.Resolved, default)));

        var draft = await DraftAsync(s);
        Assert.Equal((DraftState.Handled, "resolved", null), (draft.State, draft.StateReason, draft.ClaimedByUserId));
        Assert.DoesNotContain((await ReviewLaneAsync()).Rows, r => r.ConversationId == s.ConversationId);
        Assert.Equal(["draft.claimed", "draft.handled"], await AuditAsync(s));
        // Nothing can be sent from it any more.
        Assert.IsType<ReviewDraft.Result.AlreadyHandled>(await AsAsync(s, s.Agent, sp => sp.GetRequiredService<ReviewDraft>().ApproveAsync(s.DraftId, draft.Version - 1, null, default)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_person_can_answer_without_a_draft_and_it_is_audited(DatabaseProvider provider)
    {
        var s = await PendingDraftAsync(provider);
        await using var _ = s.App;
        Task<int> RepliesTodayAsync() => AsAsync(s, s.Admin, async sp => (await sp.GetRequiredService<HitlConsole.Features.Home.GetMyDay>().HandleAsync(default)).Replies);
        var repliesBefore = await RepliesTodayAsync();
        var sent = await AsAsync(s, s.Admin, sp => sp.GetRequiredService<ReviewDraft>().SendOwnReplyAsync(s.ConversationId, "  Hi Nora, it left today.  ", default));
        var messageId = Assert.IsType<ReviewDraft.Result.Sent>(sent).MessageId;
        Assert.Equal(repliesBefore + 1, await RepliesTodayAsync()); // the home page's "Replies sent" counts it
        Assert.IsType<ReviewDraft.Result.Invalid>(await AsAsync(s, s.Admin, sp => sp.GetRequiredService<ReviewDraft>().SendOwnReplyAsync(s.ConversationId, " ", default)));
        Assert.IsType<ReviewDraft.Result.Invalid>(await AsAsync(s, s.Admin,
            sp => sp.GetRequiredService<ReviewDraft>().SendOwnReplyAsync(s.ConversationId, new string('x', ReviewDraft.MaxReplyLength + 1), default)));

        await using var db = await s.App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var message = await db.Messages.IgnoreQueryFilters().SingleAsync(m => m.Id == messageId);
        Assert.Equal(("Hi Nora, it left today.", MessageAuthor.Agent, MessageDirection.Outbound), (message.Text, message.Author, message.Direction));
        Assert.True(await db.AuditEvents.IgnoreQueryFilters().AnyAsync(a => a.Action == "message.sent-by-agent" && a.ActorUserId == s.Admin));
    }
}
