using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Channels.Simulator;

/// <summary>The simulator page's use cases: pretend to be a customer of this workspace and see what they receive.</summary>
public sealed class SimulatorChat(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, IngestInbound ingest, TimeProvider clock)
{
    public const int MaxText = 4096;

    public sealed record ContactRow(Guid Id, string Address, string? Name, Guid? ConversationId);
    /// <param name="HasFile">A kept file goes with the line (an agent's attachment): the page shows it, as the customer's phone would.</param>
    public sealed record Line(Guid Id, bool FromCustomer, string? Text, string Type, DeliveryState State, DateTime SentUtc, bool HasFile = false);

    public async Task<IReadOnlyList<ContactRow>> ContactsAsync(CancellationToken ct)
    {
        var channelId = await ChannelIdAsync(ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Contacts.AsNoTracking().Where(c => c.ChannelId == channelId).OrderBy(c => c.DisplayName ?? c.Address)
            .Select(c => new ContactRow(c.Id, c.Address, c.DisplayName,
                db.Conversations.Where(v => v.ContactId == c.Id && v.Status != ConversationStatus.Archived)
                    .OrderByDescending(v => v.LastActivityUtc).Select(v => (Guid?)v.Id).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>What the customer sees: their own messages and every reply that was actually sent.</summary>
    public async Task<IReadOnlyList<Line>> TranscriptAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId)
            .Where(m => m.Direction == MessageDirection.Inbound || m.DeliveryState != DeliveryState.Failed)
            .OrderBy(m => m.SentUtc).ThenBy(m => m.CreatedUtc).Take(500)
            .Select(m => new Line(m.Id, m.Direction == MessageDirection.Inbound, m.Text, m.Type, m.DeliveryState, m.SentUtc, m.MediaFileId != null))
            .ToListAsync(ct);
    }

    public async Task<Guid?> SendAsCustomerAsync(string address, string? name, string text, CancellationToken ct)
    {
        address = address.Trim();
        text = text.Trim();
        if (address.Length is 0 or > 64 || text.Length is 0 or > MaxText || name?.Length > 200) return null;
        var channelId = await ChannelIdAsync(ct);
        var message = new InboundMessage("simulator", address, string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
            "sim." + Guid.NewGuid().ToString("N"), clock.GetUtcNow().UtcDateTime, "text", text, null, null);
        await ingest.HandleAsync(tenant.TenantId!.Value, channelId, ChannelKind.Simulator, [message], [], ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Messages.Where(m => m.ExternalId == message.ExternalId).Select(m => (Guid?)m.ConversationId).SingleAsync(ct);
    }

    /// <summary>Every workspace has a simulator; the first visit creates it (without an API key).</summary>
    private async Task<Guid> ChannelIdAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = await db.Channels.Where(c => c.Kind == ChannelKind.Simulator).OrderBy(c => c.CreatedUtc).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        if (id is { } existing) return existing;
        var channel = new Channel { Kind = ChannelKind.Simulator, Name = "Simulator", CreatedUtc = clock.GetUtcNow().UtcDateTime };
        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        return channel.Id;
    }
}
