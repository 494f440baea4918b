using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Infrastructure.Data;

internal static class UniqueViolation
{
    /// <summary>SQLite error 19 (constraint) / PostgreSQL 23505 (unique_violation).</summary>
    public static bool Is(DbUpdateException ex) => ex.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19,
        Npgsql.PostgresException p => p.SqlState == "23505",
        _ => false,
    };
}
