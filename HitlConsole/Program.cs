using HitlConsole.Components;
using HitlConsole.Features.Account;
using HitlConsole.Features.Admin;
using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Demo;
using HitlConsole.Features.Home;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Learning;
using HitlConsole.Features.Knowledge.Import;
using HitlConsole.Features.Languages;
using HitlConsole.Features.Localization;
using HitlConsole.Features.Models;
using HitlConsole.Features.Pipeline;
using HitlConsole.Features.Platform;
using HitlConsole.Features.Setup;
using HitlConsole.Infrastructure;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Infrastructure.Security;
using HitlConsole.Jobs;

if (args is [HealthProbe.Flag, var probeUrl])
{
    Environment.ExitCode = await HealthProbe.RunAsync(probeUrl);
    return;
}

// Content root is the build output, where the repository-level appsettings.json, wwwroot/ and
// Resources/ are linked, so `dotnet run`, tests and the published app read the same files.
var importCommand = ImportCommand.Matches(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = importCommand ? ImportCommand.HostArgs(args) : args,
    ContentRootPath = AppContext.BaseDirectory,
});

// Infrastructure
builder.AddObservability();
builder.AddData();
builder.AddSecurity();
builder.AddLive();
builder.AddUiLocalization();
builder.AddUi();
// Features
builder.AddDemo();
builder.AddAccounts();
builder.AddSetup();
builder.AddHome();
builder.AddLanguages();
builder.AddKnowledge();
builder.AddLearning();
builder.AddAi();
builder.AddModels();
builder.AddAgentConfig();
builder.AddPipeline();
builder.AddChannels();
builder.AddInbox();
builder.AddAnalytics();
builder.AddAdmin();
builder.AddPlatform();
builder.AddJobs();

var app = builder.Build();

if (importCommand)
{
    app.UseHitlPipeline();
    Environment.ExitCode = await ImportCommand.RunAsync(app, args);
    return;
}

await app.RunWithStartupDiagnosticsAsync(static app =>
{
    app.UseHitlPipeline();
    app.MapStaticAssets().AllowAnonymous();
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    app.MapAccountEndpoints();
    app.MapCultureEndpoint();
    app.MapChannelsEndpoints();
    app.MapAgentConfigEndpoints();
    app.MapKnowledgeEndpoints();
    app.MapLearningEndpoints();
    app.MapAnalyticsEndpoints();
    app.MapAdminEndpoints();
    app.MapPlatformEndpoints();
    app.MapHealth();
    app.MapJobsDashboard();
});

public partial class Program;
