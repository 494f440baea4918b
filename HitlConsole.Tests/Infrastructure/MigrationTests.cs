using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Infrastructure;

public sealed class MigrationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public void Every_model_change_is_covered_by_a_migration_of_each_provider(DatabaseProvider provider)
    {
        // No server needed: the model is compared with the provider's migration snapshot.
        var options = DataRegistration.Configure(new DbContextOptionsBuilder<HitlDbContext>(), provider,
            provider == DatabaseProvider.Sqlite ? "Data Source=unused.db" : "Host=unused;Database=unused").Options;
        using HitlDbContext db = provider == DatabaseProvider.Sqlite
            ? new SqliteHitlDbContext(options, new TenantContext())
            : new PostgresHitlDbContext(options, new TenantContext());

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes that no {provider} migration covers: run scripts/add-migration.sh <Name>.");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Start_up_applies_every_migration_to_an_empty_database(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();

        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_second_start_on_the_same_database_changes_nothing(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        (int Users, int Entries) before, after;
        await using (var first = new HitlAppFactory(database, ownsDatabase: false))
            before = await CountAsync(first);
        await using (var second = new HitlAppFactory(database, ownsDatabase: false))
            after = await CountAsync(second);

        Assert.Equal((3, HitlAppFactory.DemoKnowledgeEntries), before);
        Assert.Equal(before, after);
    }

    private static async Task<(int Users, int Entries)> CountAsync(HitlAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return (await db.Users.IgnoreQueryFilters().CountAsync(), await db.KnowledgeEntries.IgnoreQueryFilters().CountAsync());
    }
}
