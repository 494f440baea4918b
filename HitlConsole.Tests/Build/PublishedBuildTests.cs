using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Build;

/// <summary>
/// Runs the Dockerfile's own publish command, starts the output from another folder, and checks
/// that it serves the repository's wwwroot/, Resources/ and appsettings.json.
/// </summary>
public sealed partial class PublishedBuildTests
{
    [Fact]
    public async Task The_dockerfile_publish_output_serves_the_repository_assets_strings_and_settings()
    {
        var output = Directory.CreateTempSubdirectory("hitl-publish-").FullName;
        var command = DockerfilePublishCommand().Replace("/app/publish", output);
        var (exit, log) = await RunAsync(command, Repo.Root);
        Assert.True(exit == 0, "publish failed:\n" + log);

        Assert.Equal(File.ReadAllText(Repo.PathOf("appsettings.json")), File.ReadAllText(Path.Combine(output, "appsettings.json")));
        Assert.False(File.Exists(Path.Combine(output, "appsettings.Development.json")), "Development settings must not ship.");

        var elsewhere = Directory.CreateTempSubdirectory("hitl-cwd-").FullName;
        await using var app = AppProcess.Start(Path.Combine(output, "HitlConsole.dll"), elsewhere, new Dictionary<string, string>());
        await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        Assert.True(File.Exists(Path.Combine(output, "data", "hitlconsole.db")), "The default SQLite file belongs in the app's data folder.");
        Assert.True(File.Exists(Path.Combine(output, "data", "hitlconsole.jobs.db")), "Hangfire's SQLite file belongs beside the database.");

        using var http = new HttpClient { BaseAddress = new Uri(app.Url) };
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        var setup = await http.GetStringAsync("/setup");
        var spanishTitle = XDocument.Load(Repo.PathOf("Resources", "SharedResource.es.resx")).Root!.Elements("data")
            .Single(d => (string)d.Attribute("name")! == "SetupTitle").Element("value")!.Value;
        Assert.Contains(spanishTitle, setup);

        var css = CssLink().Match(setup);
        Assert.True(css.Success, "The page links no app stylesheet.");
        var cssResponse = await http.GetAsync(css.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, cssResponse.StatusCode);
        Assert.Equal(File.ReadAllText(Repo.PathOf("wwwroot", "app.css")), await cssResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/_framework/blazor.web.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/_content/MudBlazor/MudBlazor.min.css")).StatusCode);

        // Outside Development the console log is compact JSON with trace and span ids on request events.
        var requestLine = app.Output.Split('\n').FirstOrDefault(l => l.Contains("\"RequestPath\":\"/setup\"") && l.Contains("responded"));
        Assert.NotNull(requestLine);
        Assert.StartsWith("{\"@t\":", requestLine);
        Assert.Contains("\"@tr\":", requestLine);

        // The container HEALTHCHECK probe: healthy app → 0, nothing listening → 1.
        Assert.Equal(0, (await RunAsync($"dotnet HitlConsole.dll --health-probe {app.Url}/health/live", output)).Exit);
        Assert.Equal(1, (await RunAsync("dotnet HitlConsole.dll --health-probe http://127.0.0.1:9/health/live", output)).Exit);
    }

    internal static string DockerfilePublishCommand()
    {
        var line = File.ReadAllLines(Repo.PathOf("Dockerfile")).Single(l => l.TrimStart().StartsWith("RUN dotnet publish"));
        return line.Trim()["RUN ".Length..];
    }

    private static async Task<(int Exit, string Log)> RunAsync(string command, string folder)
    {
        var info = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("""<link rel="stylesheet" href="(app\.[a-z0-9]+\.css)" """)]
    private static partial Regex CssLink();
}
