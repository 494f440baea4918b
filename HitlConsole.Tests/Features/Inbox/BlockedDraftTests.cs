using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using HitlConsole.Features.Inbox;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>A draft the guardrail stopped is not a dead end: answer by hand or with the neutral reply, close it, or release it.</summary>
public sealed class BlockedDraftTests
{
    private static async Task<Draft> BlockedAsync(HitlAppFactory app, string wamid, string text, string from)
    {
        var response = await app.CreateBrowserLikeClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage(wamid, text, from: from)], waId: from));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await Eventually.GetAsync(async () =>
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await (from d in db.Drafts.IgnoreQueryFilters() join m in db.Messages.IgnoreQueryFilters() on d.MessageId equals m.Id
                          where m.ExternalId == wamid select d).SingleOrDefaultAsync();
        }, what: "the draft of " + wamid);
    }

    [Fact]
    public async Task A_blocked_draft_can_be_answered_closed_or_released_by_an_admin_and_every_path_is_audited()
    {
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true", ["Hangfire:PollInterval"] = "00:00:00.100", ["Demo:WhatsApp:GraphBaseUrl"] = "http://127.0.0.1:9",
        });
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);

        var insult = await BlockedAsync(app, "wamid.b1", "Eres un idiota, respondan ya", "34600000101");
        Assert.Equal(DraftState.Blocked, insult.State);
        Assert.Equal("Abuse", insult.StateReason);
        Assert.Equal("Eres un idiota", insult.Reasoning); // the words behind the block, for the reviewer: whole, as written
        // Only words the customer wrote: the English "idiot" the vocabulary also matched is not shown to a Spanish agent.
        Assert.DoesNotContain("idiot", insult.Reasoning!.Split(", "));
        Assert.False(string.IsNullOrWhiteSpace(insult.Text)); // the neutral reply

        await using (var scope = app.Services.ForTenant(tenant, agent))
        {
            var review = scope.ServiceProvider.GetRequiredService<ReviewDraft>();
            // The neutral reply goes out as it is.
            Assert.IsType<ReviewDraft.Result.Sent>(await review.ApproveAsync(insult.Id, insult.Version, null, default));
            // Sent once: a second click is told it was handled.
            Assert.IsType<ReviewDraft.Result.AlreadyHandled>(await review.ApproveAsync(insult.Id, insult.Version, null, default));
        }

        var second = await BlockedAsync(app, "wamid.b2", "Sois unos imbéciles", "34600000102");
        var third = await BlockedAsync(app, "wamid.b3", "What do you think about the elections and the president?", "34600000103");
        await using (var scope = app.Services.ForTenant(tenant, agent))
        {
            var review = scope.ServiceProvider.GetRequiredService<ReviewDraft>();
            Assert.IsType<ReviewDraft.Result.Handled>(await review.CloseAsHandledAsync(second.Id, second.Version, "Called the customer", default));
            Assert.IsType<ReviewDraft.Result.Forbidden>(await review.ReleaseGuardrailAsync(third.Id, third.Version, default));
        }
        await using (var scope = app.Services.ForTenant(tenant, admin))
            Assert.IsType<ReviewDraft.Result.Retrying>(await scope.ServiceProvider.GetRequiredService<ReviewDraft>().ReleaseGuardrailAsync(third.Id, third.Version, default));

        // Released: drafted again without the pre-scan, once; the flag does not stay behind.
        var redrafted = await Eventually.GetAsync(async () =>
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.Drafts.IgnoreQueryFilters().SingleOrDefaultAsync(d => d.MessageId == third.MessageId && d.State == DraftState.Pending);
        }, what: "the released message's new draft");
        await using var check = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.False(await check.Messages.IgnoreQueryFilters().Where(m => m.Id == third.MessageId).Select(m => m.GuardrailReleased).SingleAsync());
        Assert.Equal(DraftState.Approved, await check.Drafts.IgnoreQueryFilters().Where(d => d.Id == insult.Id).Select(d => d.State).SingleAsync());
        var handled = await check.Drafts.IgnoreQueryFilters().SingleAsync(d => d.Id == second.Id);
        Assert.Equal((DraftState.Handled, "Called the customer", agent), (handled.State, handled.StateReason, handled.ReviewedByUserId));

        var audit = await check.AuditEvents.IgnoreQueryFilters().Where(a => a.EntityId == insult.Id.ToString() || a.EntityId == second.Id.ToString()
            || a.EntityId == third.Id.ToString()).Select(a => new { a.Action, a.ActorUserId }).ToListAsync();
        Assert.Contains(audit, a => a.Action == "draft.approved" && a.ActorUserId == agent);
        Assert.Contains(audit, a => a.Action == "draft.handled" && a.ActorUserId == agent);
        Assert.Contains(audit, a => a.Action == "draft.guardrail-released" && a.ActorUserId == admin);
        Assert.NotEqual(redrafted.Id, third.Id);
    }
}
