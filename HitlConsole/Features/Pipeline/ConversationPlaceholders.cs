using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// The values a reply in one conversation has its placeholders filled with: what the conversation tells
/// (<see cref="ConversationFacts"/>: the customer's name, the order number they wrote) before the workspace variables in the
/// conversation's language. Drafts are filled with these; so is what a person writes or edits, before the check that nothing
/// unresolved reaches the customer.
/// </summary>
public sealed class ConversationPlaceholders(IAgentSettingsProvider settings)
{
    /// <summary>For a reply written now: every inbound message counts, the language is the customer's latest.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValuesAsync(HitlDbContext db, Conversation conversation, CancellationToken ct)
    {
        var facts = await FactsAsync(db, conversation, null, ct);
        var language = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Inbound && m.Language != null)
            .OrderByDescending(m => m.SentUtc).Select(m => m.Language).FirstOrDefaultAsync(ct)
            ?? Languages.TextLanguage.Normalise(await db.Tenants.Where(t => t.Id == conversation.TenantId).Select(t => t.DefaultCulture).SingleAsync(ct));
        var variables = (await settings.GetAsync(conversation.TenantId, ct)).Variables.For(language);
        return Placeholders.Merge(facts, variables);
    }

    /// <summary>
    /// The customer's name and every inbound text up to <paramref name="untilUtc"/> (all when null; not only the history
    /// window): an order number said early still counts.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> FactsAsync(HitlDbContext db, Conversation conversation, DateTime? untilUtc, CancellationToken ct)
    {
        var name = await db.Contacts.AsNoTracking().Where(c => c.Id == conversation.ContactId).Select(c => c.DisplayName).SingleOrDefaultAsync(ct);
        var inbound = db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Inbound);
        if (untilUtc is { } until) inbound = inbound.Where(m => m.SentUtc <= until);
        var texts = await inbound
            .OrderByDescending(m => m.SentUtc).Take(MaxFactMessages).Select(m => m.Text ?? m.Caption).ToListAsync(ct);
        texts.Reverse();
        return ConversationFacts.Of(name, texts.OfType<string>());
    }

    private const int MaxFactMessages = 50;
}
