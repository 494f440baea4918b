using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// Gives a conversation that just started to the next available person of the workspace (or of its inbox team) in round
/// robin order, skipping people who are away, idle, disabled or at the workspace's cap; nobody available leaves it unassigned.
/// <para>
/// Runs inside the transaction that stores the conversation. Its first statement writes the workspace row (the cursor), so
/// on PostgreSQL a second arrival — on this instance or another — waits for this one's commit and then counts what it
/// assigned; on SQLite the single writer orders them. The cap therefore holds under concurrent arrivals.
/// </para>
/// </summary>
public static class AssignAutomatically
{
    /// <summary>The live event to publish after the commit when the conversation was assigned, else null.</summary>
    public static async Task<LiveEvent?> TryAssignAsync(HitlDbContext db, Guid tenantId, Conversation conversation, DateTime now,
        TimeSpan idleAway, CancellationToken ct)
    {
        var settings = await db.Tenants.Where(t => t.Id == tenantId)
            .Select(t => new { t.AutoAssignMode, t.AutoAssignCap, t.AutoAssignTeamId }).SingleAsync(ct);
        if (settings.AutoAssignMode != AutoAssignMode.RoundRobin) return null;

        // Takes the workspace row's lock until commit: concurrent arrivals are assigned one after the other.
        await db.Tenants.Where(t => t.Id == tenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AutoAssignLastUserId, t => t.AutoAssignLastUserId), ct);
        var cursor = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.AutoAssignLastUserId).SingleAsync(ct);

        var activeSince = now - idleAway;
        var members = from m in db.WorkspaceMembers
                      join u in db.Users on m.UserId equals u.Id
                      where !m.IsDisabled && !u.IsDisabled && !m.Away && m.LastActiveUtc >= activeSince
                            && (m.Role == Roles.Agent || m.Role == Roles.Admin)
                      select m.UserId;
        if (settings.AutoAssignTeamId is { } teamId)
            members = members.Where(id => db.TeamMembers.Any(t => t.TeamId == teamId && t.UserId == id));
        var candidates = (await members.ToListAsync(ct)).Order(StringComparer.Ordinal).ToList();
        if (candidates.Count == 0) return null;

        var open = await db.Conversations
            .Where(c => c.Status == ConversationStatus.Open && c.AssigneeUserId != null && candidates.Contains(c.AssigneeUserId))
            .GroupBy(c => c.AssigneeUserId!).Select(g => new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.UserId, g => g.Count, ct);
        // Conversations of this batch that are assigned but not saved yet count too.
        foreach (var pending in db.ChangeTracker.Entries<Conversation>()
                     .Where(e => e.State == EntityState.Added && e.Entity.AssigneeUserId is not null && e.Entity != conversation))
            open[pending.Entity.AssigneeUserId!] = open.GetValueOrDefault(pending.Entity.AssigneeUserId!) + 1;

        var chosen = NextInTurn(candidates, cursor, id => open.GetValueOrDefault(id) < settings.AutoAssignCap);
        if (chosen is null) return null;

        await db.Tenants.Where(t => t.Id == tenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.AutoAssignLastUserId, chosen), ct);
        conversation.AssigneeUserId = chosen;
        conversation.TeamId ??= settings.AutoAssignTeamId;
        db.Record(null, "conversation.assigned", nameof(Conversation), conversation.Id.ToString(),
            new { AssigneeUserId = (string?)null }, new { AssigneeUserId = chosen, Automatic = true }, now);
        return new LiveEvent(tenantId, LiveEventKind.DraftChanged, conversation.Id, Payload: new AssignmentChanged(chosen, null));
    }

    /// <summary>The first person after <paramref name="cursor"/> (in ordinal order, wrapping round) who may take one more.</summary>
    internal static string? NextInTurn(IReadOnlyList<string> ordered, string? cursor, Func<string, bool> hasRoom)
    {
        var start = cursor is null ? 0 : ordered.Count(id => string.CompareOrdinal(id, cursor) <= 0);
        for (var i = 0; i < ordered.Count; i++)
        {
            var id = ordered[(start + i) % ordered.Count];
            if (hasRoom(id)) return id;
        }
        return null;
    }
}
