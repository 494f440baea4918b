using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Embeddings;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HitlConsole.Tests.Features.Knowledge;

/// <summary>How the vector index notices knowledge written by another instance (ADR 0019).</summary>
public sealed class KnowledgeIndexFreshnessTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_instances_write_is_read_beside_the_searches_of_a_workspace_in_use_and_before_the_next_search_of_an_idle_one(
        DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var sp = app.Services;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var index = new KnowledgeIndex(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<ITextEmbedder>(),
            sp.GetRequiredService<KnowledgeChanges>(), clock, Options.Create(new EmbeddingOptions { IndexFreshness = TimeSpan.FromSeconds(1) }),
            NullLogger<KnowledgeIndex>.Instance);
        var first = await index.GetAsync(tenant, default);

        // In use: two seconds after the last look (past the window, within five), the search keeps what it has.
        await TouchBehindThisInstanceAsync(app, tenant, DateTime.UtcNow.AddDays(1));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Same(first, await index.GetAsync(tenant, default));
        await index.LookingBeside(tenant);
        var second = await index.GetAsync(tenant, default);
        Assert.NotEqual(first.Stamp, second.Stamp);

        // Idle for longer than five windows: the next search reads the stamp before it answers.
        await TouchBehindThisInstanceAsync(app, tenant, DateTime.UtcNow.AddDays(2));
        clock.Advance(TimeSpan.FromSeconds(KnowledgeIndex.BackgroundLookWindows + 1));
        var third = await index.GetAsync(tenant, default);
        Assert.NotEqual(second.Stamp, third.Stamp);
        Assert.True(index.LookingBeside(tenant).IsCompleted);
    }

    /// <summary>What another instance's write looks like here: plain SQL past EF Core, so this instance's write interceptor misses it.</summary>
    private static async Task TouchBehindThisInstanceAsync(HitlAppFactory app, Guid tenant, DateTime updatedUtc)
    {
        await using var scope = app.Services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """UPDATE "KnowledgeEntries" SET "UpdatedUtc" = @updated""";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@updated";
        parameter.Value = updatedUtc;
        command.Parameters.Add(parameter);
        Assert.True(await command.ExecuteNonQueryAsync() > 0);
    }
}
