using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Channels.WhatsApp;

/// <summary>
/// "Mark as read when an agent opens the conversation" (a WhatsApp channel's option): the customer sees blue ticks once a
/// person has the conversation in front of them, never because the AI drafted. Each customer message is reported once:
/// the conversation remembers the newest one reported, claimed in the database so two agents opening it send one call.
/// The call itself is a background job (Meta may be slow; opening a conversation must not wait).
/// </summary>
public sealed partial class MarkConversationRead(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, IBackgroundJobClient jobs, WhatsAppGraphClient graph, ChannelSecrets secrets,
    ILogger<MarkConversationRead> logger)
{
    /// <returns>true when a read receipt was queued.</returns>
    public async Task<bool> RequestAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var target = await (from c in db.Conversations
                            join ch in db.Channels on c.ChannelId equals ch.Id
                            where c.Id == conversationId && ch.Kind == ChannelKind.WhatsAppCloud && ch.MarkReadOnOpen && ch.Active
                            select new { c.ReadMarkedUtc }).SingleOrDefaultAsync(ct);
        if (target is null) return false;
        var newest = await db.Messages
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound && m.ExternalId != null)
            // When it was stored, not WhatsApp's timestamp: two messages in the same second share that one.
            .OrderByDescending(m => m.CreatedUtc).Select(m => new { m.Id, m.CreatedUtc }).FirstOrDefaultAsync(ct);
        if (newest is null || target.ReadMarkedUtc >= newest.CreatedUtc) return false;
        var claimed = await db.Conversations
            .Where(c => c.Id == conversationId && (c.ReadMarkedUtc == null || c.ReadMarkedUtc < newest.CreatedUtc))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ReadMarkedUtc, newest.CreatedUtc), ct) == 1;
        if (!claimed) return false;
        jobs.Enqueue<MarkReadJob>(j => j.RunAsync(tenant.TenantId!.Value, newest.Id, CancellationToken.None));
        return true;
    }

    public async Task SendAsync(Guid messageId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var target = await (from m in db.Messages
                            join ch in db.Channels on m.ChannelId equals ch.Id
                            where m.Id == messageId
                            select new { m.ExternalId, ch.GraphBaseUrl, ch.GraphVersion, ch.PhoneNumberId, ch.AccessTokenProtected }).SingleOrDefaultAsync(ct);
        if (target?.ExternalId is null || target.PhoneNumberId is null || target.GraphBaseUrl is null) return;
        var token = secrets.Unprotect(target.AccessTokenProtected);
        if (token is null) return;
        if (!await graph.MarkReadAsync(target.GraphBaseUrl, target.GraphVersion ?? "v21.0", target.PhoneNumberId, token, target.ExternalId, ct))
            LogNotMarked(messageId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp did not accept the read receipt for message {MessageId}")]
    private partial void LogNotMarked(Guid messageId);
}

/// <summary>Sends one read receipt; a refusal is logged and left (the next customer message is reported anyway).</summary>
public sealed class MarkReadJob(IServiceScopeFactory scopes)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(Guid tenantId, Guid messageId, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await scope.ServiceProvider.GetRequiredService<MarkConversationRead>().SendAsync(messageId, ct);
    }
}
