using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace HitlConsole.Infrastructure.Live;

public enum LiveEventKind { MessageReceived, DraftChanged, DeliveryChanged, Alert, ImportProgress, PresenceChanged }

/// <summary>
/// A change a console should show. <see cref="SubjectId"/> names what changed when it is not a conversation (an import);
/// <see cref="Payload"/> is the typed detail some kinds carry (import progress, presence, the guardrail class of an alert).
/// </summary>
public sealed record LiveEvent(Guid TenantId, LiveEventKind Kind, Guid ConversationId, Guid? MessageId = null, Guid? DraftId = null,
    LivePayload? Payload = null, Guid? SubjectId = null);

/// <summary>
/// In-process, tenant-scoped event feed. Each subscriber has its own bounded queue drained by its
/// own loop, so a slow circuit never delays the publisher or other subscribers (oldest events are
/// dropped for a subscriber that falls far behind; it reloads on the next event anyway).
/// </summary>
public sealed partial class LiveFeed(ILogger<LiveFeed> logger)
{
    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();
    private readonly ConcurrentDictionary<Guid, StrongBox<long>> _versions = new();

    public IDisposable Subscribe(Guid tenantId, Func<LiveEvent, Task> handler)
    {
        var sub = new Subscription(this, tenantId, handler);
        _subscriptions[sub.Id] = sub;
        return sub;
    }

    /// <summary>Set on PostgreSQL (<see cref="PostgresLiveBridge"/>): what is published here also reaches other instances.</summary>
    internal PostgresLiveBridge? Bridge { get; set; }

    public void Publish(LiveEvent e)
    {
        Deliver(e);
        Bridge?.Forward(e);
    }

    /// <summary>To this instance's consoles only (an event that came from another instance is not sent back out).</summary>
    internal void Deliver(LiveEvent e)
    {
        Interlocked.Increment(ref _versions.GetOrAdd(e.TenantId, _ => new StrongBox<long>()).Value);
        foreach (var sub in _subscriptions.Values)
            if (sub.TenantId == e.TenantId) sub.Queue.Writer.TryWrite(e);
    }

    public int SubscriberCount => _subscriptions.Count;

    /// <summary>
    /// How many events this instance has delivered for the workspace. Counted before the subscribers hear of an event, so a read
    /// that starts after the count reached n sees every change whose event is among the first n (see <see cref="LiveReads"/>).
    /// </summary>
    public long VersionOf(Guid tenantId) => _versions.TryGetValue(tenantId, out var box) ? Interlocked.Read(ref box.Value) : 0;

    private sealed class Subscription : IDisposable
    {
        private readonly LiveFeed _feed;
        public Guid Id { get; } = Guid.NewGuid();
        public Guid TenantId { get; }
        public Channel<LiveEvent> Queue { get; } = Channel.CreateBounded<LiveEvent>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public Subscription(LiveFeed feed, Guid tenantId, Func<LiveEvent, Task> handler)
        {
            _feed = feed;
            TenantId = tenantId;
            _ = DrainAsync(handler);
        }

        private async Task DrainAsync(Func<LiveEvent, Task> handler)
        {
            await foreach (var e in Queue.Reader.ReadAllAsync())
            {
                try { await handler(e); }
                catch (Exception ex) { _feed.LogSubscriberFailed(ex, e.Kind); }
            }
        }

        public void Dispose()
        {
            _feed._subscriptions.TryRemove(Id, out _);
            Queue.Writer.TryComplete();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live-event subscriber failed on {Kind}")]
    private partial void LogSubscriberFailed(Exception ex, LiveEventKind kind);
}
