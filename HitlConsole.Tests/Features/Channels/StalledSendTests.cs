using HitlConsole.Domain;
using HitlConsole.Features.Channels;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>A reply whose send job was lost (a killed process, a job out of retries) still reaches the customer, once.</summary>
public sealed class StalledSendTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Replies_queued_with_no_send_under_way_are_sent_in_order_and_only_once(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true",
            ["Hangfire:PollInterval"] = "00:00:00.100",
            ["Pipeline:AutoSendIntents:0"] = "none",
        });
        var tenant = await app.Services.DemoTenantIdAsync();
        var now = DateTime.UtcNow;
        Guid conversation, channel;
        Message first, second, fresh, retrying, inFlight, delivered;
        await using (var scope = app.Services.ForTenant(tenant))
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            // Stored directly, with no customer message that would start a draft job: only the send jobs run here.
            channel = await db.Channels.Where(c => c.Kind == ChannelKind.Simulator).Select(c => c.Id).SingleAsync();
            var contact = new Contact { ChannelId = channel, Address = "+34 611 000 777", DisplayName = "Nuria", CreatedUtc = now };
            var talk = new Conversation { ChannelId = channel, ContactId = contact.Id, CreatedUtc = now.AddMinutes(-30), LastActivityUtc = now };
            db.AddRange(contact, talk);
            conversation = talk.Id;
            Message Out(string text, DateTime created, DeliveryState state = DeliveryState.Queued, DateTime? next = null, DateTime? claimed = null) => new()
            {
                ChannelId = channel, ConversationId = conversation, Direction = MessageDirection.Outbound, Author = MessageAuthor.Agent,
                Text = text, Type = "text", DeliveryState = state, SentUtc = created, CreatedUtc = created, NextAttemptUtc = next,
                SendClaimedUtc = claimed, SendAttempts = claimed is null ? 0 : 1,
            };
            // The two messages of one reply whose jobs died with the process twenty minutes ago; a reply stored a moment ago (its
            // job is on its way); one waiting for a scheduled retry; one whose attempt another job is making; one long delivered.
            first = Out("Sí, salió ayer.", now.AddMinutes(-20));
            second = Out("Este es el número de seguimiento.", now.AddMinutes(-20).AddMilliseconds(1));
            fresh = Out("Un momento, lo compruebo.", now);
            retrying = Out("Reintento programado.", now.AddMinutes(-20), next: now.AddMinutes(1));
            inFlight = Out("Envío en curso.", now.AddMinutes(-20), claimed: now.AddMinutes(-1));
            delivered = Out("Gracias por escribirnos.", now.AddMinutes(-30), DeliveryState.Delivered);
            db.Messages.AddRange(second, first, fresh, retrying, inFlight, delivered);
            await db.SaveChangesAsync();
        }

        // Two passes before the first sends have run: each message gets two jobs, and still one attempt.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var requeue = scope.ServiceProvider.GetRequiredService<RequeueStalledSends>();
            Assert.Equal(2, await requeue.HandleAsync(default));
            Assert.InRange(await requeue.HandleAsync(default), 0, 2);
        }

        // A second job for the message whose attempt is under way meets that claim and leaves it alone.
        await using (var scope = app.Services.ForTenant(tenant))
            await scope.ServiceProvider.GetRequiredService<SendOutbound>().HandleAsync(inFlight.Id, default);

        var attempts = await Eventually.GetAsync(async () =>
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            var sent = await db.Messages.IgnoreQueryFilters().CountAsync(m => (m.Id == first.Id || m.Id == second.Id) && m.DeliveryState == DeliveryState.Delivered);
            return sent < 2 ? null : await db.SendAttempts.IgnoreQueryFilters().Where(a => a.MessageId == first.Id || a.MessageId == second.Id)
                .OrderBy(a => a.AttemptedUtc).ToListAsync();
        }, 30, "both stalled messages delivered");
        await app.QuietAsync(); // every second job has run too, had the claim let one through
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var all = await db.SendAttempts.IgnoreQueryFilters().Where(a => a.MessageId == first.Id || a.MessageId == second.Id)
                .OrderBy(a => a.AttemptedUtc).ThenBy(a => a.Number).Select(a => a.MessageId).ToListAsync();
            Assert.Equal([first.Id, second.Id], all); // once each, the reply's first message first
            var untouched = await db.Messages.IgnoreQueryFilters().Where(m => m.Id == fresh.Id || m.Id == retrying.Id || m.Id == inFlight.Id)
                .Select(m => new { m.DeliveryState, m.SendAttempts }).ToListAsync();
            Assert.Equal(3, untouched.Count);
            Assert.All(untouched, m => Assert.Equal(DeliveryState.Queued, m.DeliveryState));
            Assert.Equal(1, untouched.Sum(m => m.SendAttempts)); // the attempt under way, not a second one
        }
        Assert.Equal(2, attempts.Count);
    }
}
