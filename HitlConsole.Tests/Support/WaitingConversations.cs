using HitlConsole.Domain;
using HitlConsole.Features.Analytics;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Support;

/// <summary>A review queue at volume: conversations whose customer wrote and whose draft waits, written straight to the database.</summary>
public static class WaitingConversations
{
    private static int _numbers; // every seeded customer gets a number of its own, across calls

    /// <summary><paramref name="Address"/> is what WhatsApp sends as "from" (digits, no plus).</summary>
    public sealed record Seeded(Guid ConversationId, string Customer, DateTime AskedUtc, string Address);

    /// <summary>
    /// <paramref name="count"/> conversations on the <paramref name="kind"/> channel, the i-th asked <paramref name="spacing"/> × i
    /// before <paramref name="newestUtc"/>, each with one draft in <paramref name="state"/>.
    /// A draft older than the tenant's TTL (24 h) is expired by the recurring job within five minutes; a test that needs one
    /// waiting in a closed window gives it a recent <paramref name="draftCreatedUtc"/> (regenerated after the window closed).
    /// </summary>
    public static async Task<IReadOnlyList<Seeded>> SeedAsync(IServiceProvider services, Guid tenant, int count, DateTime newestUtc, TimeSpan spacing,
        ChannelKind kind = ChannelKind.Simulator, DraftState state = DraftState.Pending, string namePrefix = "Customer", string text = "Where is my order?",
        string draft = "Your order is on its way.", int earlierMessages = 0, DateTime? draftCreatedUtc = null)
    {
        await using var scope = services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var channel = await db.Channels.Where(c => c.Kind == kind).Select(c => c.Id).FirstAsync();
        var seeded = new List<Seeded>(count);
        for (var i = 0; i < count; i++)
        {
            var asked = newestUtc - spacing * i;
            var name = $"{namePrefix} {i:D4}";
            var contact = new Contact { ChannelId = channel, Address = $"3461{Interlocked.Increment(ref _numbers):D7}", DisplayName = name, LastInboundUtc = asked, CreatedUtc = asked };
            var conversation = new Conversation { ChannelId = channel, ContactId = contact.Id, CreatedUtc = asked, LastActivityUtc = asked };
            for (var m = earlierMessages; m > 0; m--)
                db.Add(new Message
                {
                    ChannelId = channel, ConversationId = conversation.Id, Direction = m % 2 == 0 ? MessageDirection.Inbound : MessageDirection.Outbound,
                    Author = m % 2 == 0 ? MessageAuthor.Customer : MessageAuthor.Agent, Text = $"Earlier message {m}", ExternalId = Guid.NewGuid().ToString("N"),
                    SentUtc = asked.AddMinutes(-m), CreatedUtc = asked.AddMinutes(-m), DeliveryState = DeliveryState.Read,
                });
            var message = new Message
            {
                ChannelId = channel, ConversationId = conversation.Id, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer, Text = text,
                ExternalId = Guid.NewGuid().ToString("N"), SentUtc = asked, CreatedUtc = asked, Language = "en",
            };
            db.AddRange(contact, conversation, message, new Draft
            {
                ConversationId = conversation.Id, MessageId = message.Id, ChannelId = channel, Intent = "track_order", State = state, Confidence = 70,
                Text = draft, StateReason = state == DraftState.Blocked ? "Abuse" : null, Quarter = AnalyticsTime.QuarterOf(asked),
                CreatedUtc = draftCreatedUtc ?? asked, UpdatedUtc = draftCreatedUtc ?? asked,
            });
            seeded.Add(new(conversation.Id, name, asked, contact.Address));
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await db.SaveChangesAsync();
        return seeded;
    }
}
