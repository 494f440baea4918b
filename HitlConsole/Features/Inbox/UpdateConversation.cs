using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Features.Inbox;

/// <summary>Conversation-level switches from the console: AI mode, pin, resolve, archive/reopen. Each change is audited and broadcast.</summary>
public sealed class UpdateConversation(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, LiveFeed feed, TimeProvider clock, ReviewDraft review)
{
    public Task<bool> SetAiModeAsync(Guid conversationId, AiMode mode, CancellationToken ct) =>
        ChangeAsync(conversationId, "conversation.ai-mode", c => (c.AiMode.ToString(), (c.AiMode = mode).ToString()), ct);

    public Task<bool> SetPinnedAsync(Guid conversationId, bool pinned, CancellationToken ct) =>
        ChangeAsync(conversationId, "conversation.pinned", c => (c.Pinned.ToString(), (c.Pinned = pinned).ToString()), ct);

    /// <summary>Resolving or archiving also closes the drafts still waiting in the conversation (<see cref="ReviewDraft.CloseWaitingAsync"/>).</summary>
    public async Task<bool> SetStatusAsync(Guid conversationId, ConversationStatus status, CancellationToken ct)
    {
        if (!await ChangeAsync(conversationId, "conversation.status", c => (c.Status.ToString(), (c.Status = status).ToString()), ct)) return false;
        if (status != ConversationStatus.Open) await review.CloseWaitingAsync(conversationId, status == ConversationStatus.Resolved ? "resolved" : "archived", ct);
        return true;
    }

    private async Task<bool> ChangeAsync(Guid conversationId, string action, Func<Conversation, (string Before, string After)> change, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.SingleOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null) return false;
        var (before, after) = change(conversation);
        if (before == after) return true;
        db.Record(tenant.UserId, action, nameof(Conversation), conversationId.ToString(), new { Value = before }, new { Value = after }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        feed.Publish(new LiveEvent(conversation.TenantId, LiveEventKind.DraftChanged, conversationId));
        return true;
    }
}
