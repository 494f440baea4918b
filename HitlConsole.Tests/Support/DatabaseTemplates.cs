using System.Collections.Concurrent;
using HitlConsole.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HitlConsole.Tests.Support;

/// <summary>
/// Databases as the app leaves them after its first start (migrated, roles, demo workspace), built once per
/// test process and copied for each test: a fresh start seeds 4,010 knowledge entries and hashes four passwords
/// (≈ 3 s), a start on a copy takes ≈ 0.4 s. The test's app still starts on the copy exactly as a restarted
/// installation does (migrations checked, seeder skipping what exists), so nothing is faked.
/// </summary>
internal static class DatabaseTemplates
{
    // Settings that shape what the first start writes: the demo workspace, and the four Pipeline options the default
    // configuration is made from (AgentConfigDocument.Default). Anything else only changes how the app runs afterwards,
    // so it must not cost a template of its own (each is a full first start: ≈ 3 s on SQLite, more on PostgreSQL).
    private static readonly string[] SeedingPrefixes = ["Demo:", "Database:"];
    private static readonly string[] SeedingPipelineKeys =
        ["Pipeline:HistoryTurns", "Pipeline:AutoSendThreshold", "Pipeline:ReviewThreshold", "Pipeline:AutoSendDelay"];
    private const string GraphBaseUrl = "Demo:WhatsApp:GraphBaseUrl"; // a fake server's random port: patched per copy

    private static readonly ConcurrentDictionary<string, Lazy<Task<TestDatabase>>> Templates = new();
    private static readonly SemaphoreSlim PostgresCopies = new(1, 1);

    public static async Task<TestDatabase> CopyAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings)
    {
        settings ??= new Dictionary<string, string?>();
        var seeding = settings.Where(s => (SeedingPrefixes.Any(p => s.Key.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                || SeedingPipelineKeys.Contains(s.Key, StringComparer.OrdinalIgnoreCase)) && s.Key != GraphBaseUrl)
            .OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary();
        var key = provider + "|" + string.Join("|", seeding.Select(s => $"{s.Key}={s.Value}"));
        var template = await Templates.GetOrAdd(key, _ => new Lazy<Task<TestDatabase>>(() => BuildAsync(provider, seeding))).Value;

        var copy = provider == DatabaseProvider.Sqlite ? CopySqlite(template) : await CopyPostgresAsync(template);
        if (settings.TryGetValue(GraphBaseUrl, out var url) && url is not null) await SetGraphBaseUrlAsync(copy, url);
        return copy;
    }

    private static async Task<TestDatabase> BuildAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?> settings)
    {
        var database = await TestDatabase.CreateAsync(provider);
        // Only the database initializer runs: no outbox, job server, live bridge or embedder touches the template.
        await using (var app = new HitlAppFactory(database, settings, ownsDatabase: false) { TestServices = OnlyTheInitializer })
            _ = app.Services;

        if (provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            // Everything into the main file, so a plain file copy is the whole database.
            await using var connection = new SqliteConnection(database.ConnectionString + ";Pooling=False");
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }
        else NpgsqlConnection.ClearAllPools(); // CREATE DATABASE … TEMPLATE refuses while anyone is connected to it
        return database;
    }

    private static void OnlyTheInitializer(IServiceCollection services)
    {
        var app = typeof(Program).Assembly;
        foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService)).ToList())
        {
            var owner = hosted.ImplementationType ?? hosted.ImplementationFactory?.Method.DeclaringType;
            if (owner?.Assembly == app && hosted.ImplementationType != typeof(DatabaseInitializer)) services.Remove(hosted);
        }
    }

    private static TestDatabase CopySqlite(TestDatabase template)
    {
        var copy = TestDatabase.NewSqliteLocation();
        File.Copy(new SqliteConnectionStringBuilder(template.ConnectionString).DataSource,
            new SqliteConnectionStringBuilder(copy.ConnectionString).DataSource);
        return copy;
    }

    private static async Task<TestDatabase> CopyPostgresAsync(TestDatabase template)
    {
        await PostgresCopies.WaitAsync();
        try
        {
            return await TestDatabase.CreatePostgresAsync(from: new NpgsqlConnectionStringBuilder(template.ConnectionString).Database);
        }
        finally { PostgresCopies.Release(); }
    }

    private static async Task SetGraphBaseUrlAsync(TestDatabase database, string url)
    {
        await using var connection = database.Provider == DatabaseProvider.Sqlite
            ? (System.Data.Common.DbConnection)new SqliteConnection(database.ConnectionString + ";Pooling=False")
            : new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE \"Channels\" SET \"GraphBaseUrl\" = @url WHERE \"PhoneNumberId\" IS NOT NULL";
        var parameter = update.CreateParameter();
        parameter.ParameterName = "url";
        parameter.Value = url;
        update.Parameters.Add(parameter);
        await update.ExecuteNonQueryAsync();
    }
}
