using System.Text.Json;
using HitlConsole.Domain;

namespace HitlConsole.Infrastructure.Data;

public static class Audit
{
    /// <summary>
    /// Stored as a person reads it ("¿Hacéis envíos?", not "\u00BFHac\u00E9is"): the log is shown and exported as text. Enums by
    /// name ("RoundRobin", not 1), as the writers that call ToString() already do, so the log page can put them in words.
    /// </summary>
    private static readonly JsonSerializerOptions Readable = new()
    {
        Encoder = HitlConsole.Infrastructure.Exports.ExportFiles.JsonEncoder,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>Adds an audit row to the context; it is saved with the change it describes.</summary>
    public static void Record(this HitlDbContext db, string? actorUserId, string action, string entityType, string? entityId,
        object? before, object? after, DateTime atUtc) =>
        db.AuditEvents.Add(new AuditEvent
        {
            ActorUserId = actorUserId, Action = action, EntityType = entityType, EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before, Readable),
            After = after is null ? null : JsonSerializer.Serialize(after, Readable),
            AtUtc = atUtc,
        });
}
