using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HitlConsole.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class DatabaseOptions
{
    /// <summary>The SQLite file of a connection string, with its folder created (SQLite creates files, not folders).</summary>
    public static string EnsureSqliteFolder(string connectionString)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (Path.GetDirectoryName(path) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        return path;
    }

    public const string Section = "Database";

    /// <summary>Raw text of <c>Database:Provider</c>, kept so a wrong value can be named in the error.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Filled from <c>ConnectionStrings:Sqlite</c> or <c>ConnectionStrings:Postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    public DatabaseProvider ProviderKind => Enum.Parse<DatabaseProvider>(Provider, ignoreCase: true);

    public string ConnectionStringKey => $"ConnectionStrings:{(IsKnownProvider(Provider) ? ProviderKind : Provider)}";

    public static bool IsKnownProvider(string? value) =>
        Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var p) && Enum.IsDefined(p) && !int.TryParse(value, out _);
}

/// <summary>Binds the connection string of the chosen provider and makes a relative SQLite path absolute.</summary>
internal sealed class ConfigureDatabaseOptions(IConfiguration configuration, IHostEnvironment environment)
    : IPostConfigureOptions<DatabaseOptions>
{
    public void PostConfigure(string? name, DatabaseOptions options)
    {
        if (!DatabaseOptions.IsKnownProvider(options.Provider)) return;
        var raw = configuration.GetConnectionString(options.ProviderKind.ToString());
        if (string.IsNullOrWhiteSpace(raw)) return;
        options.ConnectionString = options.ProviderKind == DatabaseProvider.Sqlite
            ? ResolveSqlitePath(raw, environment.ContentRootPath)
            : raw;
    }

    /// <summary>"Data Source=data/x.db" lives under the app's folder, not the shell's working directory.</summary>
    internal static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        SqliteConnectionStringBuilder builder;
        try { builder = new SqliteConnectionStringBuilder(connectionString); }
        catch (ArgumentException) { return connectionString; } // reported by the validator
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
            return builder.ToString();
        if (!Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        return builder.ToString();
    }
}

internal sealed class ValidateDatabaseOptions : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!DatabaseOptions.IsKnownProvider(options.Provider))
            return ValidateOptionsResult.Fail(
                $"Configuration key 'Database:Provider' has the unsupported value '{options.Provider}'; use 'Sqlite' or 'Postgres'.");

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail(
                $"Configuration key '{options.ConnectionStringKey}' is missing or empty; it is required when Database:Provider is '{options.ProviderKind}'.");

        try
        {
            if (options.ProviderKind == DatabaseProvider.Sqlite)
            {
                var b = new SqliteConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(b.DataSource)) throw new ArgumentException("no Data Source");
            }
            else
            {
                var b = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(b.Host)) throw new ArgumentException("no Host");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            return ValidateOptionsResult.Fail(
                $"Configuration key '{options.ConnectionStringKey}' is not a valid {options.ProviderKind} connection string ({ex.Message}).");
        }

        return ValidateOptionsResult.Success;
    }
}
