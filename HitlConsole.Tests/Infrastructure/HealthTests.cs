using System.Net;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Infrastructure;

public sealed class HealthTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Live_and_ready_answer_without_signing_in(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateBrowserLikeClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_service_graph_is_valid_the_way_dotnet_run_checks_it()
    {
        // Development (`dotnet run`) validates scopes at start: a singleton holding a scoped service stops the app there.
        await using var app = new HitlAppFactory(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite)) { ValidateScopes = true };
        var client = app.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task Ready_reports_unhealthy_when_the_database_is_gone()
    {
        var app = await HitlAppFactory.CreateAsync(TestDatabase.PostgresServer is not null ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite);
        await using var _ = app;
        var client = app.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await app.Database.DisposeAsync(); // drops the database (PostgreSQL) or deletes its folder (SQLite)

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
