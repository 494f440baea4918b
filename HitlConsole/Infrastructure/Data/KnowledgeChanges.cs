using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// Counts this instance's writes to the knowledge table, so the knowledge caches can trust their last look at the
/// database for a short window and still see a change made here at once: a cache compares the generation it read with
/// the current one. Other instances' writes are seen when the window ends (docs/adr/0019).
/// </summary>
public sealed class KnowledgeChanges
{
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>For writes that bypass EF Core's commands (the SQLite bulk insert); everything else is seen by the interceptor.</summary>
    public void Raise() => Interlocked.Increment(ref _generation);
}

/// <summary>
/// Raises <see cref="KnowledgeChanges"/> after any command that writes the knowledge table: tracked saves,
/// ExecuteUpdate/ExecuteDelete and raw SQL alike. Inside a transaction it waits for the commit, so a search between
/// the write and the commit cannot settle on the old stamp for a whole window.
/// </summary>
public sealed partial class KnowledgeWriteInterceptor(KnowledgeChanges changes) : DbCommandInterceptor, IDbTransactionInterceptor
{
    private static readonly ConditionalWeakTable<DbTransaction, object> Pending = new();
    private static readonly object Marker = new();

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken ct = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
        DbDataReader result, CancellationToken ct = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    private void Seen(DbCommand command)
    {
        if (!WritesKnowledge(command.CommandText)) return;
        if (command.Transaction is { } transaction) Pending.AddOrUpdate(transaction, Marker);
        else changes.Raise();
    }

    private void Committed(DbTransaction transaction)
    {
        if (Pending.Remove(transaction)) changes.Raise();
    }

    /// <summary>Reads only name the table after FROM or JOIN; the cheap test first, since it runs for every command.</summary>
    internal static bool WritesKnowledge(string sql) =>
        sql.Contains("KnowledgeEntries", StringComparison.OrdinalIgnoreCase) && KnowledgeWrite().IsMatch(sql);

    [GeneratedRegex("""(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?KnowledgeEntries\b""", RegexOptions.IgnoreCase)]
    private static partial Regex KnowledgeWrite();
}
