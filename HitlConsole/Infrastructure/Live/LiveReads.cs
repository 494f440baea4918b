using System.Collections.Concurrent;

namespace HitlConsole.Infrastructure.Live;

/// <summary>
/// One read shared by every console that reloads the same view after the same live events. Each event makes every open
/// inbox and navigation badge of the workspace read again; with a team on one instance that is sessions × events identical
/// queries. A read here is keyed by the workspace, the caller's key (the query, plus the user when the view depends on
/// who asks) and the feed's <see cref="LiveFeed.VersionOf">version</see>: a caller gets a read that started after the
/// version it saw, so it never shows less than a read of its own would, and at most <see cref="MaxAge"/> old.
/// </summary>
/// <remarks>
/// Only reloads that follow live events come here. What a person just did (pinned, filtered, paged) is read directly, so it
/// shows even when the change published no event.
/// </remarks>
public sealed class LiveReads(LiveFeed feed, TimeProvider clock)
{
    /// <summary>A read is shared for this long at most, so a quiet workspace's lists still follow the clock (closing windows).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    // Entries are replaced, not added, as versions move on; a bound on distinct views keeps a long-lived instance small.
    private const int MaxEntries = 4096;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(Guid Tenant, object Key), Entry> _entries = new();

    private sealed record Entry(long Version, DateTimeOffset Started, Lazy<Task> Read);

    /// <summary>How many callers joined a read another caller started (for tests).</summary>
    public long Shared => Interlocked.Read(ref _shared);
    private long _shared;

    /// <summary>
    /// The result of <paramref name="read"/> for <paramref name="key"/> in the workspace, from a read that started after the
    /// caller's version, run once for everyone who asks meanwhile. <paramref name="key"/> must have value equality (a record).
    /// The read itself is not cancelled by one caller's token; each caller stops waiting on its own.
    /// </summary>
    public Task<T> ReadAsync<T>(Guid tenantId, object key, Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        var version = feed.VersionOf(tenantId);
        var slot = (tenantId, key);
        while (true)
        {
            var now = clock.GetUtcNow();
            if (_entries.TryGetValue(slot, out var current) && current.Version >= version && now - current.Started < MaxAge
                && current.Read.Value is Task<T> { IsFaulted: false, IsCanceled: false } shared)
            {
                Interlocked.Increment(ref _shared);
                return JoinAsync(shared, read, ct);
            }
            var fresh = new Entry(version, now, new Lazy<Task>(() => RunAsync(read)));
            if (current is null ? _entries.TryAdd(slot, fresh) : _entries.TryUpdate(slot, fresh, current))
            {
                if (_entries.Count > MaxEntries) Prune(now);
                return ((Task<T>)fresh.Read.Value).WaitAsync(ct);
            }
        }
    }

    /// <summary>
    /// Another console's read can fail for reasons of its own (its circuit closed under it); this caller then reads for itself.
    /// </summary>
    private static async Task<T> JoinAsync<T>(Task<T> shared, Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        try { return await shared.WaitAsync(ct); }
        catch (Exception) when (!ct.IsCancellationRequested) { return await read(ct); }
    }

    /// <summary>
    /// A read of one workspace's view shaped like its handler (<c>(query, ct) → result</c>) that goes through here:
    /// <paramref name="key"/> says what makes two queries' answers the same.
    /// </summary>
    public Func<TQuery, CancellationToken, Task<TResult>> For<TQuery, TResult>(Guid tenantId, Func<TQuery, object> key,
        Func<TQuery, CancellationToken, Task<TResult>> read) =>
        (query, ct) => ReadAsync(tenantId, key(query), c => read(query, c), ct);

    private static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> read)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        return await read(timeout.Token);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (slot, entry) in _entries)
            if (now - entry.Started >= MaxAge) _entries.TryRemove(new KeyValuePair<(Guid, object), Entry>(slot, entry));
    }
}
