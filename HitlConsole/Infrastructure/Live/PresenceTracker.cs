using System.Collections.Concurrent;

namespace HitlConsole.Infrastructure.Live;

/// <summary>One open console: who, which conversation they have in front of them, and whether they said they are away.</summary>
public sealed record Presence(Guid TenantId, string UserId, string Name, Guid? ConversationId, string? Customer, DateTime SinceUtc, bool Away = false);

/// <summary>A <see cref="LiveEventKind.PresenceChanged"/>: a circuit's presence, or null when it went away.</summary>
public sealed record PresenceNote(string Circuit, Presence? Presence) : LivePayload;

/// <summary>
/// Which people have a console open, per tenant. Entries come and go with this instance's circuits (see
/// the Inbox's <c>ReviewCircuitHandler</c>); every change is pushed to the tenant's consoles. With several instances on
/// PostgreSQL, the others' circuits arrive through <see cref="PostgresLiveBridge"/> (<see cref="ApplyRemote"/>), are
/// re-announced every <see cref="HeartbeatInterval"/>, and are forgotten when an instance stops announcing them.
/// </summary>
public sealed class PresenceTracker(LiveFeed feed, TimeProvider clock)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RemoteExpiry = 2.5 * HeartbeatInterval;

    private readonly ConcurrentDictionary<string, Presence> _byCircuit = new();
    private readonly ConcurrentDictionary<string, (Presence Presence, DateTime SeenUtc)> _remote = new();

    public void Set(string circuit, Presence presence)
    {
        _byCircuit[circuit] = presence;
        feed.Publish(Changed(presence.TenantId, circuit, presence));
    }

    public void Remove(string circuit)
    {
        if (_byCircuit.TryRemove(circuit, out var gone))
            feed.Publish(Changed(gone.TenantId, circuit, null));
    }

    /// <summary>One line per person (several tabs collapse), the conversation they opened most recently first.</summary>
    public IReadOnlyList<Presence> Online(Guid tenantId)
    {
        var since = clock.GetUtcNow().UtcDateTime - RemoteExpiry;
        return _byCircuit.Values.Concat(_remote.Values.Where(r => r.SeenUtc > since).Select(r => r.Presence))
            .Where(p => p.TenantId == tenantId)
            .GroupBy(p => p.UserId)
            .Select(g => g.OrderByDescending(p => p.ConversationId is not null).ThenByDescending(p => p.SinceUtc).First())
            .OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>This instance's circuits, announced again so other instances keep (and newly started ones learn) them.</summary>
    internal IEnumerable<LiveEvent> Announcements() => _byCircuit.Select(kv => Changed(kv.Value.TenantId, kv.Key, kv.Value));

    /// <summary>A presence change from another instance; the event is then delivered to this instance's consoles.</summary>
    internal void ApplyRemote(LiveEvent e)
    {
        if (e.Payload is not PresenceNote note) return;
        if (note.Presence is null) _remote.TryRemove(note.Circuit, out _);
        else _remote[note.Circuit] = (note.Presence with { TenantId = e.TenantId }, clock.GetUtcNow().UtcDateTime);
    }

    private static LiveEvent Changed(Guid tenantId, string circuit, Presence? presence) =>
        new(tenantId, LiveEventKind.PresenceChanged, Guid.Empty, Payload: new PresenceNote(circuit, presence));
}
