using System.Text;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Platform;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Pipeline;

/// <summary>Deliveries the reader gave up on: the platform operator sees them, gives them back to the reader or discards them.</summary>
public sealed class SetAsideDeliveriesTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    /// <summary>As the reader leaves a delivery after its fifth failed read.</summary>
    internal static async Task<long> SetAsideAsync(HitlAppFactory app, string body, string? signedBy = null)
    {
        var channel = (await app.Services.GetRequiredService<WhatsAppChannelDirectory>().GetAsync(default))
            .Single(c => c.PhoneNumberId == HitlAppFactory.PhoneNumberId);
        await using var db = await app.Services.GetRequiredService<DeliveryLogDatabase>().OpenAsync(default);
        var row = new WebhookDelivery
        {
            Body = Encoding.UTF8.GetBytes(body), SignedBy = signedBy ?? channel.ChannelId.ToString(), ReceivedUtc = DateTime.UtcNow.AddMinutes(-10),
            Attempts = WebhookReader.MaxAttempts, GaveUpUtc = DateTime.UtcNow.AddMinutes(-5),
        };
        db.Deliveries.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_operator_sees_them_reads_one_again_into_its_conversation_and_discards_another_both_audited(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var demo = await app.Services.DemoTenantIdAsync();
        var actor = new PlatformActor(await app.Services.UserIdAsync(demo, DemoUsers.Admin), DemoUsers.Admin);
        var message = await SetAsideAsync(app, WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.ASIDE", "Sigo esperando mi reembolso")]));
        var broken = await SetAsideAsync(app, "{\"object\":", signedBy: Guid.NewGuid().ToString());
        await using var scope = app.Services.CreateAsyncScope();
        var deliveries = scope.ServiceProvider.GetRequiredService<SetAsideDeliveries>();

        var (rows, total) = await deliveries.ListAsync(default);
        Assert.Equal(2, total);
        var first = Assert.Single(rows, r => r.Id == message);
        Assert.Equal((1, 0, WebhookReader.MaxAttempts), (first.Messages, first.Statuses, first.Attempts));
        Assert.Equal(["Demo Support"], first.Workspaces);
        var second = Assert.Single(rows, r => r.Id == broken);
        Assert.Equal((null, 0), (second.Messages, second.Workspaces.Count));
        // Left alone by the reader while set aside.
        await Task.Delay(300);
        Assert.False(await MessageStoredAsync(app));

        Assert.Equal(1, await deliveries.ReadAgainAsync([message], actor, default));
        await Eventually.GetAsync(async () => await MessageStoredAsync(app) ? "stored" : null, 30, "the delivery read into its conversation");
        await Eventually.GetAsync(async () => await DeliveryIdsAsync(app) is [var only] && only == broken ? "removed" : null, 30, "the delivery removed once read");
        Assert.Equal(1, await deliveries.DiscardAsync([broken], actor, default));
        Assert.Empty(await DeliveryIdsAsync(app));
        // A second click (or another operator) finds nothing left to change.
        Assert.Equal(0, await deliveries.ReadAgainAsync([message, broken], actor, default));
        Assert.Equal(0, await deliveries.DiscardAsync([broken], actor, default));
        Assert.Equal(0, (await deliveries.ListAsync(default)).Total);

        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var audit = await db.PlatformAuditEvents.OrderBy(e => e.Id).Select(e => new { e.Action, e.WorkspaceName, e.ActorEmail, e.Detail }).ToListAsync();
        Assert.Equal([("delivery.read-again", "Demo Support"), ("delivery.discarded", "—")], audit.Select(e => (e.Action, e.WorkspaceName)));
        Assert.All(audit, e => Assert.Equal(DemoUsers.Admin, e.ActorEmail));
        Assert.Contains(message.ToString(), audit[0].Detail);
        // The body holds a customer's words: the audit names the delivery, never its text.
        Assert.DoesNotContain("reembolso", string.Concat(audit.Select(e => e.Detail)));
    }

    private static async Task<bool> MessageStoredAsync(HitlAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.ExternalId == "wamid.ASIDE");
    }

    private static async Task<List<long>> DeliveryIdsAsync(HitlAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<DeliveryLogDatabase>().OpenAsync(default);
        return await db.Deliveries.Select(d => d.Id).ToListAsync();
    }
}
