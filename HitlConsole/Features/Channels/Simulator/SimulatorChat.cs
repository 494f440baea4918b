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

    /// <summary>
    /// Customers of the simulator whose name or number holds <paramref name="text"/> (all when empty), those written to last
    /// first: the picker asks for a few at a time, so a workspace with thousands of customers stays quick.
    /// </summary>
    public async Task<IReadOnlyList<ContactRow>> SearchContactsAsync(string? text, int take, CancellationToken ct)
    {
        var channelId = await ChannelIdAsync(ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var contacts = db.Contacts.AsNoTracking().Where(c => c.ChannelId == channelId);
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (SimulatorAddress.CountryPrefix(text) is { } prefix)
            {
                var withPlus = Like.StartingWith("+" + prefix);
                var without = Like.StartingWith(prefix);
                contacts = contacts.Where(c => EF.Functions.Like(c.Address, withPlus, Like.EscapeChar) || EF.Functions.Like(c.Address, without, Like.EscapeChar));
            }
            else
            {
                // Folded on both sides: PostgreSQL's LIKE tells "ana" from "Ana", and "nunez" finds "Núñez".
                var pattern = Like.ContainingFolded(text.Trim());
                // Numbers are kept without spaces: "600 000" finds "+34600000001".
                var number = Like.Containing(SimulatorAddress.SearchForm(text));
                contacts = contacts.WhereFolded(c => EF.Functions.Like(c.Address, pattern, Like.EscapeChar)
                    || EF.Functions.Like(c.Address, number, Like.EscapeChar)
                    || (c.DisplayName != null && EF.Functions.Like(Like.Fold(c.DisplayName), pattern, Like.EscapeChar)));
            }
        }
        var rows = await contacts
            .Select(c => new
            {
                c.Id, c.Address, c.DisplayName,
                Open = db.Conversations.Where(v => v.ContactId == c.Id && v.Status != ConversationStatus.Archived)
                    .OrderByDescending(v => v.LastActivityUtc).Select(v => (Guid?)v.Id).FirstOrDefault(),
                Last = db.Conversations.Where(v => v.ContactId == c.Id).Max(v => (DateTime?)v.LastActivityUtc),
            })
            .OrderByDescending(x => x.Last).ThenBy(x => x.DisplayName ?? x.Address)
            .Take(take).ToListAsync(ct);
        return rows.Select(x => new ContactRow(x.Id, x.Address, x.DisplayName, x.Open)).ToList();
    }

    /// <summary>The customer of one of the simulator's conversations (after a message from a new number).</summary>
    public async Task<ContactRow?> ContactOfAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Conversations.AsNoTracking().Where(v => v.Id == conversationId)
            .Join(db.Contacts, v => v.ContactId, c => c.Id, (v, c) => new ContactRow(c.Id, c.Address, c.DisplayName, v.Id))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>What the customer sees: their own messages and every reply that was actually sent.</summary>
    public async Task<IReadOnlyList<Line>> TranscriptAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // The newest lines, oldest first, as a chat shows them.
        var lines = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId)
            .Where(m => m.Direction == MessageDirection.Inbound || m.DeliveryState != DeliveryState.Failed)
            .OrderByDescending(m => m.SentUtc).ThenByDescending(m => m.CreatedUtc).Take(500)
            .Select(m => new Line(m.Id, m.Direction == MessageDirection.Inbound, m.Text, m.Type, m.DeliveryState, m.SentUtc, m.MediaFileId != null))
            .ToListAsync(ct);
        lines.Reverse();
        return lines;
    }

    public async Task<Guid?> SendAsCustomerAsync(string address, string? name, string text, CancellationToken ct)
    {
        address = SimulatorAddress.Canonical(address);
        text = text.Trim();
        if (address.Length is 0 or > 64 || text.Length is 0 or > MaxText || name?.Length > 200) return null;
        var channelId = await ChannelIdAsync(ct);
        var message = new InboundMessage("simulator", address, string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
            "sim." + Guid.NewGuid().ToString("N"), clock.GetUtcNow().UtcDateTime, "text", text, null, null);
        await ingest.HandleAsync(tenant.TenantId!.Value, channelId, ChannelKind.Simulator, [message], [], ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Messages.Where(m => m.ExternalId == message.ExternalId).Select(m => (Guid?)m.ConversationId).SingleAsync(ct);
    }

    private async Task<Guid> ChannelIdAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await SimulatorChannel.IdAsync(db, clock, ct);
    }
}
