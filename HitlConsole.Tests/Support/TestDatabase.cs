using HitlConsole.Infrastructure.Data;
using Npgsql;

namespace HitlConsole.Tests.Support;

/// <summary>
/// A throwaway database for one test host: a SQLite file in a temp folder, or a fresh database
/// on the PostgreSQL server that the test command started (HITL_TEST_POSTGRES).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "HITL_TEST_POSTGRES";

    private TestDatabase(DatabaseProvider provider, string connectionString, string? folder, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _folder = folder;
        _postgresName = postgresName;
    }

    private readonly string? _folder;
    private readonly string? _postgresName;

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>Providers the suite runs against here: SQLite always, PostgreSQL when the test command provides one.</summary>
    public static TheoryData<DatabaseProvider> Providers
    {
        get
        {
            var data = new TheoryData<DatabaseProvider> { DatabaseProvider.Sqlite };
            if (PostgresServer is not null || RequirePostgres) data.Add(DatabaseProvider.Postgres);
            return data;
        }
    }

    /// <summary>In CI the PostgreSQL half of the suite is not optional.</summary>
    public static bool RequirePostgres => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>An empty database: the app migrates and seeds it on its first start.</summary>
    public static Task<TestDatabase> CreateAsync(DatabaseProvider provider) =>
        provider == DatabaseProvider.Sqlite ? Task.FromResult(NewSqliteLocation()) : CreatePostgresAsync(from: null);

    internal static TestDatabase NewSqliteLocation()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hitl-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "hitl.db")}", folder, null);
    }

    /// <summary>A new PostgreSQL database, empty or a copy of <paramref name="from"/> (CREATE DATABASE … TEMPLATE).</summary>
    internal static async Task<TestDatabase> CreatePostgresAsync(string? from)
    {
        var server = PostgresServer ?? throw new InvalidOperationException(
            $"PostgreSQL tests need {PostgresVariable} (the README's test command sets it).");
        var name = "hitl_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            // FILE_COPY (PostgreSQL 15+) copies the files instead of writing every block through the WAL: 0.08 s instead
            // of 0.26 s for the 27 MB demo template, and far less of the server's CPU.
            var template = from is null ? "" : $" TEMPLATE \"{from}\" STRATEGY FILE_COPY";
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{template}", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
        return new TestDatabase(DatabaseProvider.Postgres, cs, null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", admin);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
