using HitlConsole.Components;
using HitlConsole.Features.Account;
using HitlConsole.Features.Demo;
using HitlConsole.Features.Localization;
using HitlConsole.Features.Pipeline;
using HitlConsole.Features.Setup;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Infrastructure.Security;
using HitlConsole.Jobs;
using HitlConsole.Features;
using HitlConsole.Features.Ai;

if (args is [HealthProbe.Flag, var probeUrl])
{
    Environment.ExitCode = await HealthProbe.RunAsync(probeUrl);
    return;
}

// Content root is the build output, where the repository-level appsettings.json, wwwroot/ and
// Resources/ are linked, so `dotnet run`, tests and the published app read the same files.
var importCommand = HitlConsole.Features.Knowledge.Import.ImportCommand.Matches(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = importCommand ? HitlConsole.Features.Knowledge.Import.ImportCommand.HostArgs(args) : args,
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddObservability();
builder.AddData();
builder.AddSecurity();
builder.AddDemo();
builder.AddAccounts();
builder.AddSetup();
builder.AddUiLocalization();
builder.AddUi();
builder.AddFeatures();
builder.AddAi();
builder.AddPipeline();
builder.AddJobs();

var app = builder.Build();

if (importCommand)
{
    app.UseHitlPipeline();
    Environment.ExitCode = await HitlConsole.Features.Knowledge.Import.ImportCommand.RunAsync(app, args);
    return;
}

await app.RunWithStartupDiagnosticsAsync(static app =>
{
    app.UseHitlPipeline();
    app.MapStaticAssets().AllowAnonymous();
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    app.MapAccountEndpoints();
    app.MapCultureEndpoint();
    app.MapPipelineEndpoints();
    app.MapAiEndpoints();
    app.MapHealth();
    app.MapJobsDashboard();
});

public partial class Program;
