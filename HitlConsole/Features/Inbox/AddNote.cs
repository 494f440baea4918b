using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>A note was written; the people it mentions get an alert.</summary>
public sealed record NoteAdded(Guid NoteId, IReadOnlyList<string> MentionedUserIds) : LivePayload;

/// <summary>
/// Writes an internal note on a conversation. A note is the team's only: it is stored apart from the messages, so no
/// channel, draft prompt or export of the conversation's messages ever reads it. Members it @mentions get an alert.
/// </summary>
public sealed class AddNote(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TeamMembers team, LiveFeed feed, TimeProvider clock)
{
    public const int MaxLength = 4096;

    public abstract record Result
    {
        public sealed record Added(Guid NoteId, IReadOnlyList<string> Mentioned) : Result;
        public sealed record NotFound : Result;
        public sealed record Refused(string Reason) : Result;
    }

    public async Task<Result> HandleAsync(Guid conversationId, string text, CancellationToken ct)
    {
        var me = tenant.UserId;
        text = (text ?? "").Trim();
        if (text.Length == 0) return new Result.Refused("NoteEmpty");
        if (text.Length > MaxLength) return new Result.Refused("NoteTooLong");
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await TeamMembers.RoleAsync(db, me, ct) is not (Roles.Agent or Roles.Admin)) return new Result.Refused("NoteRefusedRole");
        var tenantId = await db.Conversations.Where(c => c.Id == conversationId).Select(c => (Guid?)c.TenantId).SingleOrDefaultAsync(ct);
        if (tenantId is null) return new Result.NotFound();

        var now = clock.GetUtcNow().UtcDateTime;
        var mentioned = Mentions.Find(text, (await team.HandleAsync(ct)).Members).Where(m => m.UserId != me).ToList();
        var note = new ConversationNote { ConversationId = conversationId, AuthorUserId = me, Text = text, CreatedUtc = now };
        db.ConversationNotes.Add(note);
        foreach (var m in mentioned)
            db.NoteMentions.Add(new NoteMention { NoteId = note.Id, ConversationId = conversationId, UserId = m.UserId, CreatedUtc = now });
        db.Record(me, "conversation.note-added", nameof(Conversation), conversationId.ToString(), null,
            new { NoteId = note.Id, Mentioned = mentioned.Select(m => m.UserId).ToArray() }, now);
        await db.SaveChangesAsync(ct);
        feed.Publish(new LiveEvent(tenantId.Value, LiveEventKind.DraftChanged, conversationId,
            Payload: new NoteAdded(note.Id, mentioned.Select(m => m.UserId).ToArray())));
        return new Result.Added(note.Id, mentioned.Select(m => m.Name).ToArray());
    }
}
