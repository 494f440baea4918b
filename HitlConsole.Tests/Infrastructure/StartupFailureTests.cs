using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>A wrong database setting stops the app at once with one log line that names the key.</summary>
public sealed class StartupFailureTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "Database__Provider", "Oracle", "ConnectionStrings__Sqlite", "Database:Provider" },
        { "Database__Provider", "Postgres", "ConnectionStrings__Postgres", "ConnectionStrings:Postgres" },
        { "Database__Provider", "Sqlite", "ConnectionStrings__Sqlite", "ConnectionStrings:Sqlite" },
    };

    [Theory, MemberData(nameof(Cases))]
    public async Task The_app_refuses_to_start_and_names_the_key(string providerKey, string provider, string connectionKey, string namedKey)
    {
        var folder = Directory.CreateTempSubdirectory("hitl-startup-").FullName;
        await using var app = AppProcess.Start(Path.Combine(AppContext.BaseDirectory, "HitlConsole.dll"), folder, new Dictionary<string, string>
        {
            [providerKey] = provider,
            [connectionKey] = provider == "Oracle" ? "Data Source=x.db" : "",
        });

        Assert.True(await app.WaitForExitAsync(TimeSpan.FromSeconds(30)), "The app kept running:\n" + app.Output);
        Assert.NotEqual(0, app.ExitCode);
        var lines = app.Output.Split('\n').Where(l => l.Contains("Refusing to start")).ToList();
        var line = Assert.Single(lines);
        Assert.Contains(namedKey, line);
        Assert.DoesNotContain("   at ", app.Output); // a sentence, not a stack trace
    }
}
