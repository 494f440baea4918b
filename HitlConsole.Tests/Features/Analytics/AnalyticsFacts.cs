using HitlConsole.Domain;
using HitlConsole.Features.Analytics;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Analytics;

/// <summary>A customer's message at a Madrid local time, answered by a draft (or, with <see cref="State"/> null, by none).</summary>
internal sealed record AnalyticsFact(DateTime Local, Guid Channel, string? Intent, DraftState? State, int Confidence = 70, int? Response = null, int? Edit = null);

/// <summary>Writes analytics facts straight into a workspace in Madrid: a contact, a conversation, the message and its draft each.</summary>
internal static class AnalyticsFacts
{
    public static readonly TimeZoneInfo Madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");

    /// <summary>Puts the workspace in Madrid; returns its first channel.</summary>
    public static async Task<Guid> InMadridAsync(HitlAppFactory app, Guid tenant)
    {
        await using var scope = app.Services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        await db.Tenants.Where(t => t.Id == tenant).ExecuteUpdateAsync(s => s.SetProperty(t => t.TimeZone, "Europe/Madrid"));
        return await db.Channels.OrderBy(c => c.Name).Select(c => c.Id).FirstAsync();
    }

    public static async Task<Guid> AddChannelAsync(HitlAppFactory app, Guid tenant, string name)
    {
        await using var scope = app.Services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var channel = new Channel { Kind = ChannelKind.Simulator, Name = name, CreatedUtc = DateTime.UtcNow };
        db.Channels.Add(channel);
        await db.SaveChangesAsync();
        return channel.Id;
    }

    public static async Task AddAsync(HitlAppFactory app, Guid tenant, IEnumerable<AnalyticsFact> facts)
    {
        await using var scope = app.Services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        foreach (var f in facts)
        {
            var utc = TimeZoneInfo.ConvertTimeToUtc(f.Local, Madrid);
            var contact = new Contact { ChannelId = f.Channel, Address = "+34" + Random.Shared.Next(100000000, 999999999), CreatedUtc = utc };
            var conversation = new Conversation { ChannelId = f.Channel, ContactId = contact.Id, CreatedUtc = utc, LastActivityUtc = utc };
            var message = new Message
            {
                ChannelId = f.Channel, ConversationId = conversation.Id, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer, Text = "q",
                ExternalId = Guid.NewGuid().ToString("N"), SentUtc = utc, CreatedUtc = utc,
            };
            db.AddRange(contact, conversation, message);
            if (f.State is { } state)
                db.Add(new Draft
                {
                    ConversationId = conversation.Id, MessageId = message.Id, ChannelId = f.Channel, Intent = f.Intent, State = state, Confidence = f.Confidence,
                    ResponseSeconds = f.Response, EditDistance = f.Edit, Quarter = AnalyticsTime.QuarterOf(utc), CreatedUtc = utc, UpdatedUtc = utc,
                });
        }
        await db.SaveChangesAsync();
    }
}
