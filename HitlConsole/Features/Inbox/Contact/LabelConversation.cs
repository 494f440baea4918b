using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>Labels on a conversation, put on and taken off by the people who work conversations; audited and live.</summary>
public sealed class LabelConversation(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, LiveFeed feed, TimeProvider clock)
{
    public const int MaxLength = 40;
    public const int MaxPerConversation = 20;

    public abstract record Result
    {
        public sealed record Done(IReadOnlyList<string> Labels) : Result;
        public sealed record NotFound : Result;
        public sealed record Refused(string Reason) : Result;
    }

    public Task<Result> AddAsync(Guid conversationId, string label, CancellationToken ct) => ChangeAsync(conversationId, label, add: true, ct);

    public Task<Result> RemoveAsync(Guid conversationId, string label, CancellationToken ct) => ChangeAsync(conversationId, label, add: false, ct);

    /// <summary>"  VIP  customer " → "vip customer".</summary>
    public static string Normalise(string? label) =>
        string.Join(' ', (label ?? "").Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private async Task<Result> ChangeAsync(Guid conversationId, string label, bool add, CancellationToken ct)
    {
        var name = Normalise(label);
        if (name.Length is 0 or > MaxLength) return new Result.Refused("LabelInvalid");
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await TeamMembers.RoleAsync(db, tenant.UserId, ct) is not (Roles.Agent or Roles.Admin)) return new Result.Refused("LabelRefusedRole");
        var tenantId = await db.Conversations.Where(c => c.Id == conversationId).Select(c => (Guid?)c.TenantId).SingleOrDefaultAsync(ct);
        if (tenantId is null) return new Result.NotFound();
        var labels = await db.ConversationLabels.Where(l => l.ConversationId == conversationId).ToListAsync(ct);
        var existing = labels.FirstOrDefault(l => l.Name == name);
        var now = clock.GetUtcNow().UtcDateTime;
        if (add && existing is null)
        {
            if (labels.Count >= MaxPerConversation) return new Result.Refused("LabelTooMany");
            db.ConversationLabels.Add(new ConversationLabel { ConversationId = conversationId, Name = name, CreatedUtc = now });
        }
        else if (!add && existing is not null) db.ConversationLabels.Remove(existing);
        else return new Result.Done(labels.Select(l => l.Name).Order().ToList());

        db.Record(tenant.UserId, add ? "conversation.label-added" : "conversation.label-removed", nameof(Conversation), conversationId.ToString(),
            add ? null : new { Label = name }, add ? new { Label = name } : null, now);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex)) { } // the same label added at the same moment by someone else
        feed.Publish(new LiveEvent(tenantId.Value, LiveEventKind.DraftChanged, conversationId));
        var names = labels.Select(l => l.Name).Where(n => n != name).ToList();
        if (add) names.Add(name);
        return new Result.Done(names.Order().ToList());
    }
}
