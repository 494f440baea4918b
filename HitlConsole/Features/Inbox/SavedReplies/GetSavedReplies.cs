using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>A saved reply ready to insert into one conversation's reply: its placeholders filled where the values are known.</summary>
/// <param name="Mine">The reader's own reply, not the workspace's.</param>
public sealed record SavedReplyChoice(Guid Id, string Shortcut, string Language, string Text, bool Mine = false);

/// <summary>
/// The saved replies a reviewer may insert into a conversation: the customer's language first, with
/// <c>{{customer_name}}</c> and the workspace variables (agent configuration) filled for that language. A placeholder
/// nobody knows stays, so the editor's "unresolved placeholder" check still stops it reaching the customer. The reader's own
/// replies come beside the workspace's (never anyone else's).
/// </summary>
public sealed class GetSavedReplies(IDbContextFactory<HitlDbContext> factory, IAgentSettingsProvider settings, Infrastructure.Tenancy.TenantContext tenant)
{
    /// <summary>The usual names of the reviewer's own name in a saved reply.</summary>
    public static readonly string[] AgentNameNames = ["Agent Name", "Nombre del agente"];

    public async Task<IReadOnlyList<SavedReplyChoice>> HandleAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var head = await (from c in db.Conversations.AsNoTracking()
                          where c.Id == conversationId
                          join t in db.Tenants on c.TenantId equals t.Id
                          select new { Conversation = c, t.DefaultCulture }).SingleOrDefaultAsync(ct);
        if (head is null) return [];
        var me = tenant.UserId ?? "";
        var replies = await db.SavedReplies.AsNoTracking().Where(r => r.OwnerUserId == null || r.OwnerUserId == me).OrderBy(r => r.Shortcut).ToListAsync(ct);
        if (replies.Count == 0) return [];
        var language = await db.Messages.Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound && m.Language != null)
            .OrderByDescending(m => m.SentUtc).Select(m => m.Language).FirstOrDefaultAsync(ct)
            ?? Languages.TextLanguage.Normalise(head.DefaultCulture);
        var variables = (await settings.GetAsync(head.Conversation.TenantId, ct)).Variables;
        // The conversation's facts as drafts and sending fill them ({{customer_name}}, {{first_name}}, the order number the
        // customer wrote), so the editor shows what the customer will read.
        var facts = await ConversationPlaceholders.FactsAsync(db, head.Conversation, null, ct);
        // The reader signs as themself: {{agent_name}} is the one value of a saved reply the person inserting it always knows.
        var agent = await db.Users.AsNoTracking().Where(u => u.Id == me).Select(u => u.DisplayName).SingleOrDefaultAsync(ct) ?? "";
        var customer = Placeholders.Merge(facts, AgentNameNames.ToDictionary(n => n, _ => agent)); // a blank name fills nothing
        return replies.OrderBy(r => r.Language == language ? 0 : 1).ThenBy(r => r.Shortcut, StringComparer.Ordinal)
            .ThenBy(r => r.OwnerUserId == null ? 1 : 0)
            .Select(r => new SavedReplyChoice(r.Id, r.Shortcut, r.Language, Placeholders.Fill(r.Text, Placeholders.Merge(customer, variables.For(r.Language))), r.OwnerUserId != null))
            .ToList();
    }
}
