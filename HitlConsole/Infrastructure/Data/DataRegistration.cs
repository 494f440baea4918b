using Microsoft.EntityFrameworkCore.Diagnostics;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Infrastructure.Data;

public static class DataRegistration
{
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<DatabaseOptions>, ConfigureDatabaseOptions>();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, ValidateDatabaseOptions>();
        services.AddTenancy();

        services.AddSingleton<KnowledgeChanges>();
        services.AddSingleton<KnowledgeWriteInterceptor>();
        services.AddSingleton(sp =>
        {
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var b = new DbContextOptionsBuilder<HitlDbContext>()
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            return Configure(b, db.ProviderKind, db.ConnectionString!)
                .AddInterceptors(sp.GetRequiredService<KnowledgeWriteInterceptor>()).Options;
        });
        services.AddScoped<IDbContextFactory<HitlDbContext>, HitlDbContextFactory>();
        // Only for framework stores that insist on a scoped context (Identity, Data Protection).
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContext());

        services.AddSingleton<DeliveryLogDatabase>();
        services.AddHostedService<DatabaseInitializer>();
        services.AddTransient<QueryPlannerStatisticsJob>();
        return builder;
    }

    internal static DbContextOptionsBuilder<HitlDbContext> Configure(
        DbContextOptionsBuilder<HitlDbContext> b, DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Postgres => b.UseNpgsql(connectionString),
        _ => b.UseSqlite(connectionString).AddInterceptors(SqliteBusyTimeout.Instance)
            // SQLite alters a column by rebuilding its table with foreign keys off, which cannot run in a transaction. Every
            // migration runs on a fresh and on an upgraded database in the tests, so a new workspace's first start need not
            // warn about each rebuild of the old ones; the events stay in the log at Information.
            .ConfigureWarnings(w => w.Log(
                (RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Information),
                (SqliteEventId.TableRebuildPendingWarning, LogLevel.Information))),
    };
}
