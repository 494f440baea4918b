using HitlConsole.Domain;
using HitlConsole.Features.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// Runs before the web server and the job server start: migrations, the fixed roles, demo data.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = options.Value;

        if (db.MigrateOnStartup)
        {
            if (db.ProviderKind == DatabaseProvider.Sqlite) DatabaseOptions.EnsureSqliteFolder(db.ConnectionString!);
            await using var context = await sp.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
            var pending = (await context.Database.GetPendingMigrationsAsync(ct)).Count();
            // On an everyday restart nothing is pending: MigrateAsync would still take the migration lock and compare the
            // model with the last migration's snapshot (about a second of a cold start). Two instances starting together
            // both see the same pending list; the lock inside MigrateAsync keeps them from applying it twice.
            if (pending > 0) await context.Database.MigrateAsync(ct);
            if (db.ProviderKind == DatabaseProvider.Sqlite)
            {
                // WAL lets the console read while jobs write; the setting is stored in the file.
                await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
                await QueryPlannerStatisticsJob.RefreshAsync(context, ct);
                // Connections opened before the refresh keep the table sizes they loaded, even through a reload.
                SqliteConnection.ClearPool((SqliteConnection)context.Database.GetDbConnection());
            }
            LogMigrated(db.ProviderKind, pending);
        }

        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        }

        await sp.GetRequiredService<DemoSeeder>().SeedIfEnabledAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready on {Provider}; applied {PendingMigrations} pending migrations")]
    private partial void LogMigrated(DatabaseProvider provider, int pendingMigrations);
}
