using HitlConsole.Features.Pipeline;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// Who owns a conversation. Anyone who works conversations may take one or let go of their own; a team lead may hand it to a member of
/// their team; an Admin may hand it to any
/// enabled Agent or Admin of the workspace, or unassign it. Audited and broadcast to every open console. (Draft leases are
/// separate: they say who is reviewing a draft right now.)
/// </summary>
public sealed class AssignConversation(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, LiveFeed feed, TimeProvider clock)
{
    public abstract record Result
    {
        public sealed record Assigned(string? AssigneeUserId) : Result;
        public sealed record NotFound : Result;
        /// <summary><paramref name="Reason"/> is a resource key the console shows.</summary>
        public sealed record Refused(string Reason) : Result;
    }

    /// <summary>Assigns the conversation to <paramref name="assigneeUserId"/>, or unassigns it when null.</summary>
    public async Task<Result> AssignAsync(Guid conversationId, string? assigneeUserId, CancellationToken ct)
    {
        var me = tenant.UserId;
        await using var db = await factory.CreateDbContextAsync(ct);
        var role = await TeamMembers.RoleAsync(db, me, ct);
        if (role is not (Roles.Agent or Roles.Admin)) return new Result.Refused("AssignRefusedRole");
        var conversation = await db.Conversations.SingleOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null) return new Result.NotFound();
        var before = conversation.AssigneeUserId;
        if (role != Roles.Admin)
        {
            // An Agent takes a conversation or lets go of their own; handing work to somebody else is an Admin's call.
            var allowed = assigneeUserId == me || (assigneeUserId is null && before == me);
            // A team lead hands work to (or takes it from) the people of the teams they lead.
            if (!allowed && (assigneeUserId ?? before) is { } other) allowed = await TeamMembers.LeadsAsync(db, me!, other, ct);
            if (!allowed) return new Result.Refused("AssignRefusedOthers");
        }
        if (assigneeUserId is not null)
        {
            var assignable = await db.WorkspaceMembers.AnyAsync(m => m.UserId == assigneeUserId && !m.IsDisabled
                && (m.Role == Roles.Agent || m.Role == Roles.Admin), ct);
            if (!assignable) return new Result.Refused("AssignRefusedMember");
        }
        if (before == assigneeUserId) return new Result.Assigned(before);

        conversation.AssigneeUserId = assigneeUserId;
        db.Record(me, assigneeUserId is null ? "conversation.unassigned" : "conversation.assigned", nameof(Conversation), conversationId.ToString(),
            new { AssigneeUserId = before }, new { AssigneeUserId = assigneeUserId }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        feed.Publish(new LiveEvent(conversation.TenantId, LiveEventKind.DraftChanged, conversationId, Payload: new AssignmentChanged(assigneeUserId, me)));
        return new Result.Assigned(assigneeUserId);
    }
}
