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
}
