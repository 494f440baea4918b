using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// The placeholder values a reply in this conversation is filled with on sending, for the editor to flag only the
/// placeholders nobody can fill (the server fills and checks again).
/// </summary>
public sealed class GetReplyPlaceholders(IDbContextFactory<HitlDbContext> factory, ConversationPlaceholders placeholders)
{
    public async Task<IReadOnlyDictionary<string, string>> HandleAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, ct);
        return conversation is null ? new Dictionary<string, string>() : await placeholders.ValuesAsync(db, conversation, ct);
    }
}
