using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>Someone read the notes that mention them.</summary>
public sealed record MentionsSeen(string UserId) : LivePayload;

/// <summary>The notes that mention the caller and that they have not seen yet; opening the conversation marks them seen.</summary>
public sealed class MyMentions(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, LiveFeed feed, TimeProvider clock)
{
    public sealed record Unseen(Guid ConversationId, string Customer, string ByName, DateTime AtUtc);

    public async Task<IReadOnlyList<Unseen>> UnseenAsync(CancellationToken ct)
    {
        if (tenant.UserId is not { } me) return [];
        await using var db = await factory.CreateDbContextAsync(ct);
        return await (from m in db.NoteMentions.AsNoTracking()
                      where m.UserId == me && m.SeenUtc == null
                      join n in db.ConversationNotes on m.NoteId equals n.Id
                      join c in db.Conversations on m.ConversationId equals c.Id
                      join k in db.Contacts on c.ContactId equals k.Id
                      join u in db.Users on n.AuthorUserId equals u.Id into authors
                      from u in authors.DefaultIfEmpty()
                      orderby m.CreatedUtc descending
                      select new Unseen(m.ConversationId, k.DisplayName ?? k.Address, u != null ? (u.DisplayName != "" ? u.DisplayName : u.Email) ?? "—" : "—",
                          m.CreatedUtc)).Take(50).ToListAsync(ct);
    }

    /// <summary>True when there was something to mark (the caller's alert changes).</summary>
    public async Task<bool> MarkSeenAsync(Guid conversationId, CancellationToken ct)
    {
        if (tenant.UserId is not { } me) return false;
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var seen = await db.NoteMentions.Where(m => m.UserId == me && m.ConversationId == conversationId && m.SeenUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SeenUtc, now), ct) > 0;
        // The caller's own alert badge (on every page) counts again.
        if (seen) feed.Publish(new LiveEvent(tenant.TenantId!.Value, LiveEventKind.DraftChanged, conversationId, Payload: new MentionsSeen(me)));
        return seen;
    }
}
