using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Platform;

/// <summary>
/// conversations.jsonl of a workspace export: one line per conversation — contact, channel, status, and its messages in order,
/// each with its draft. Conversations are read as one stream and their messages a batch at a time, so memory holds one batch
/// whatever the size of the workspace. Reads through the workspace's own (filtered) context factory.
/// </summary>
internal static class ConversationsFile
{
    private const int BatchSize = 200;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public sealed record Line(Guid Id, ChannelKind ChannelKind, string ChannelName, string? ContactName, string ContactAddress,
        ConversationStatus Status, DateTime CreatedUtc, DateTime LastActivityUtc, IReadOnlyList<MessageLine> Messages);

    public sealed record MessageLine(MessageDirection Direction, MessageAuthor Author, string? Text, DateTime SentUtc, DraftLine? Draft);

    /// <summary><paramref name="ReviewedBy"/> is the reviewer's e-mail (their user id when the account no longer exists).</summary>
    public sealed record DraftLine(DraftState State, string Text, string? Intent, int Confidence, string? ReviewedBy);

    public static async Task WriteAsync(IDbContextFactory<HitlDbContext> factory, Stream output, CancellationToken ct)
    {
        // Two contexts: one keeps the conversation stream open while the other reads each batch's messages.
        await using var conversationsDb = await factory.CreateDbContextAsync(ct);
        await using var messagesDb = await factory.CreateDbContextAsync(ct);
        var conversations =
            from c in conversationsDb.Conversations.AsNoTracking()
            join k in conversationsDb.Contacts on c.ContactId equals k.Id
            join ch in conversationsDb.Channels on c.ChannelId equals ch.Id
            orderby c.CreatedUtc, c.Id
            select new Line(c.Id, ch.Kind, ch.Name, k.DisplayName, k.Address, c.Status, c.CreatedUtc, c.LastActivityUtc, null!);

        var batch = new List<Line>(BatchSize);
        await foreach (var conversation in conversations.AsAsyncEnumerable().WithCancellation(ct))
        {
            batch.Add(conversation);
            if (batch.Count == BatchSize) await WriteBatchAsync(messagesDb, batch, output, ct);
        }
        await WriteBatchAsync(messagesDb, batch, output, ct);
    }

    private static async Task WriteBatchAsync(HitlDbContext db, List<Line> batch, Stream output, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        var ids = batch.Select(c => c.Id).ToList();
        var messages = (await (
                from m in db.Messages.AsNoTracking()
                where ids.Contains(m.ConversationId)
                join d in db.Drafts on m.Id equals d.MessageId into drafts
                from d in drafts.DefaultIfEmpty()
                // Reviewers are looked up by the ids this workspace's drafts hold, whether or not they are still members.
                join u in db.Users.IgnoreQueryFilters() on d.ReviewedByUserId equals u.Id into reviewers
                from u in reviewers.DefaultIfEmpty()
                orderby m.SentUtc, m.CreatedUtc, m.Id
                select new
                {
                    m.ConversationId,
                    Line = new MessageLine(m.Direction, m.Author, m.Text, m.SentUtc, d == null ? null
                        : new DraftLine(d.State, d.Text, d.Intent, d.Confidence, u == null ? d.ReviewedByUserId : u.Email)),
                }).ToListAsync(ct))
            .ToLookup(m => m.ConversationId, m => m.Line with { SentUtc = ExportWorkspace.Utc(m.Line.SentUtc) });

        foreach (var c in batch)
        {
            var line = c with { CreatedUtc = ExportWorkspace.Utc(c.CreatedUtc), LastActivityUtc = ExportWorkspace.Utc(c.LastActivityUtc), Messages = messages[c.Id].ToList() };
            await JsonSerializer.SerializeAsync(output, line, ExportWorkspace.Json, ct);
            await output.WriteAsync(NewLine, ct);
        }
        batch.Clear();
    }
}
