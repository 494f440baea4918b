using Hangfire.Storage.SQLite;

namespace HitlConsole.Jobs;

/// <summary>
/// Hangfire's SQLite storage, closed only once no job server may still use it.
/// <para>
/// Its connections are opened without SQLite's own mutex, and its <c>Dispose</c> closes the pooled ones while a worker may be
/// taking one out of the pool: a statement on a connection another thread is closing is a use-after-free that ends the
/// process, with no exception to catch. The host disposes singletons right after its shutdown timeout, and a draft job that
/// is still composing (or a server's last heartbeat and deregistration) outlives it. So the container's dispose goes here
/// (the interface is implemented again, which C# maps before the base's method), and the connections are closed only when
/// every server that used them has stopped; otherwise they are left to the process's end. ADR 0028.
/// </para>
/// </summary>
internal sealed class SqliteJobStorage(string path, SQLiteStorageOptions options) : SQLiteStorage(path, options), IDisposable
{
    private int _running;
    private int _disposed;

    /// <summary>A job server started on this storage.</summary>
    public void ServerStarted() => Interlocked.Increment(ref _running);

    /// <summary>A job server on this storage has stopped: every one of its threads has ended.</summary>
    public void ServerStopped() => Interlocked.Decrement(ref _running);

    /// <summary>Whether a server that did not stop in time keeps the connections open.</summary>
    private bool InUse => Volatile.Read(ref _running) > 0;

    void IDisposable.Dispose()
    {
        if (InUse || Interlocked.Exchange(ref _disposed, 1) == 1) return;
        base.Dispose();
    }
}
