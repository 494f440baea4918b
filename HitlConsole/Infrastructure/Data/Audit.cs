using System.Text.Json;
using HitlConsole.Domain;

namespace HitlConsole.Infrastructure.Data;

public static class Audit
{
    /// <summary>Adds an audit row to the context; it is saved with the change it describes.</summary>
    public static void Record(this HitlDbContext db, string? actorUserId, string action, string entityType, string? entityId,
        object? before, object? after, DateTime atUtc) =>
        db.AuditEvents.Add(new AuditEvent
        {
            ActorUserId = actorUserId, Action = action, EntityType = entityType, EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before),
            After = after is null ? null : JsonSerializer.Serialize(after),
            AtUtc = atUtc,
        });
}
