using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// One writer at a time per SQLite file inside this process, queued in order, for the hot write paths (webhook ingest,
/// storing a draft). SQLite allows a single writer anyway; without the gate, concurrent writers find the file busy and
/// SQLite's busy handler puts them to sleep in growing steps (up to 100 ms), so a burst of webhooks spends most of its
/// time asleep. PostgreSQL needs no gate.
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new();

    public static async ValueTask<IDisposable> EnterAsync(DatabaseFacade database, CancellationToken ct)
    {
        if (!database.IsSqlite()) return Open.Instance;
        var gate = Gates.GetOrAdd(database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Held(gate);
    }

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }

    private sealed class Open : IDisposable
    {
        public static readonly Open Instance = new();
        public void Dispose() { }
    }
}
