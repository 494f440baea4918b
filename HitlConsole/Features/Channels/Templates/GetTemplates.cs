using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Channels.Templates;

/// <summary>The workspace's synced templates: all of them for the channels page, and the sendable ones for a conversation.</summary>
public sealed class GetTemplates(IDbContextFactory<HitlDbContext> factory, IAgentSettingsProvider settings)
{
    public const string Approved = "APPROVED";

    public sealed record Row(Guid Id, string Name, string Language, string? Category, string Status, string? Header, string? Body, string? Footer,
        IReadOnlyList<TemplateSlot> Slots, DateTime SyncedUtc)
    {
        public bool Sendable => Status == Approved;
        public string Render(IReadOnlyList<string> values) => TemplateSlots.Render(Header, Body, Footer, Slots, values);
    }

    /// <summary>What the template composer of one conversation starts from.</summary>
    /// <param name="Language">The customer's language (their last detected message, else the workspace default).</param>
    /// <param name="Templates">Approved templates, those in the customer's language first.</param>
    /// <param name="Prefill">Values known for slot names: the contact's name and the workspace variables in the customer's language.</param>
    public sealed record ForConversation(string Language, IReadOnlyList<Row> Templates, string? ContactName,
        IReadOnlyDictionary<string, string> Prefill)
    {
        /// <summary>Starting values for a template's slots: {{1}} is the customer's name; a named slot takes the value of the same name.</summary>
        public IReadOnlyList<string> PrefillFor(Row template) => template.Slots.Select((s, i) =>
            s.Positional ? (s.Name == "1" && s.Component == "body" ? ContactName ?? "" : "")
            : Prefill.GetValueOrDefault(Placeholders.Key(s.Name.Replace('_', ' '))) ?? Prefill.GetValueOrDefault(Placeholders.Key(s.Name))
              ?? (s.Name is "name" or "first_name" or "customer_name" or "nombre" ? ContactName ?? "" : "")).ToList();
    }

    public async Task<IReadOnlyList<Row>> ListAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.MessageTemplates.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Language).ToListAsync(ct);
        return rows.Select(ToRow).ToList();
    }

    public async Task<ForConversation?> ForConversationAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var head = await (from c in db.Conversations.AsNoTracking()
                          join k in db.Contacts on c.ContactId equals k.Id
                          join t in db.Tenants on c.TenantId equals t.Id
                          where c.Id == conversationId
                          select new { c.TenantId, c.ChannelId, k.DisplayName, t.DefaultCulture }).SingleOrDefaultAsync(ct);
        if (head is null) return null;
        var language = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound && m.Language != null)
            .OrderByDescending(m => m.SentUtc).Select(m => m.Language).FirstOrDefaultAsync(ct) ?? head.DefaultCulture;
        var templates = (await db.MessageTemplates.AsNoTracking().Where(t => t.ChannelId == head.ChannelId && t.Status == Approved)
                .ToListAsync(ct))
            .Select(ToRow)
            .OrderBy(t => SameLanguage(t.Language, language) ? 0 : 1).ThenBy(t => t.Name).ThenBy(t => t.Language).ToList();
        var variables = (await settings.GetAsync(head.TenantId, ct)).Variables.For(language);
        var prefill = variables.ToDictionary(v => Placeholders.Key(v.Key), v => v.Value);
        return new ForConversation(language, templates, head.DisplayName, prefill);
    }

    /// <summary>Meta's "es_MX" is Spanish for a customer detected as "es".</summary>
    public static bool SameLanguage(string templateLanguage, string language) =>
        templateLanguage.Equals(language, StringComparison.OrdinalIgnoreCase)
        || templateLanguage.StartsWith(language + "_", StringComparison.OrdinalIgnoreCase);

    private static Row ToRow(MessageTemplate t) => new(t.Id, t.Name, t.Language, t.Category, t.Status, t.HeaderText, t.BodyText, t.FooterText,
        TemplateSlots.Deserialize(t.Slots), t.SyncedUtc);
}
