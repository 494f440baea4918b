using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// Lets SQLite itself wait (in short steps) for a busy write lock. Without it Microsoft.Data.Sqlite
/// retries a busy statement only after sleeping 150 ms, which turns a burst of concurrent webhook
/// writes into a queue of naps.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000;";
        command.ExecuteNonQuery();
    }
}
