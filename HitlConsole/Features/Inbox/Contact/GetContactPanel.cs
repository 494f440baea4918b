using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>The customer at a glance, beside a conversation: who they are, since when, their other conversations and this one's labels.</summary>
public sealed class GetContactPanel(IDbContextFactory<HitlDbContext> factory)
{
    public sealed record Earlier(Guid ConversationId, ConversationStatus Status, DateTime LastActivityUtc, string? LastText);
    public sealed record Panel(string Name, string Address, ChannelKind Channel, string? Language, DateTime FirstContactUtc,
        IReadOnlyList<Earlier> Conversations, IReadOnlyList<string> Labels);

    public async Task<Panel?> HandleAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var head = await (from c in db.Conversations.AsNoTracking()
                          where c.Id == conversationId
                          join k in db.Contacts on c.ContactId equals k.Id
                          join ch in db.Channels on k.ChannelId equals ch.Id
                          select new { k.Id, Name = k.DisplayName ?? k.Address, k.Address, ch.Kind, k.CreatedUtc }).SingleOrDefaultAsync(ct);
        if (head is null) return null;
        var language = await (from m in db.Messages
                              join c in db.Conversations on m.ConversationId equals c.Id
                              where c.ContactId == head.Id && m.Direction == MessageDirection.Inbound && m.Language != null
                              orderby m.SentUtc descending
                              select m.Language).FirstOrDefaultAsync(ct);
        var first = await (from m in db.Messages
                           join c in db.Conversations on m.ConversationId equals c.Id
                           where c.ContactId == head.Id
                           select (DateTime?)m.SentUtc).MinAsync(ct) ?? head.CreatedUtc;
        var others = await db.Conversations.AsNoTracking().Where(c => c.ContactId == head.Id && c.Id != conversationId)
            .OrderByDescending(c => c.LastActivityUtc).Take(20)
            .Select(c => new Earlier(c.Id, c.Status, c.LastActivityUtc,
                db.Messages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.SentUtc).Select(m => m.Text ?? m.Caption ?? m.Type).FirstOrDefault()))
            .ToListAsync(ct);
        var labels = await db.ConversationLabels.AsNoTracking().Where(l => l.ConversationId == conversationId).OrderBy(l => l.Name)
            .Select(l => l.Name).ToListAsync(ct);
        return new Panel(head.Name, head.Address, head.Kind, language, first < head.CreatedUtc ? first : head.CreatedUtc, others, labels);
    }
}
