using HitlConsole.Domain;
using HitlConsole.Features.AgentConfig.Sandbox;
using HitlConsole.Features.Ai;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.AgentConfig;

public static class AgentConfigRegistration
{
    public static WebApplicationBuilder AddAgentConfig(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<GetLiveConfig>();
        services.AddScoped<ListConfigVersions>();
        services.AddScoped<GetConfigVersion>();
        services.AddScoped<SaveAgentConfig>();
        services.AddScoped<RestoreConfigVersion>();
        services.AddScoped<RenameConfigVersion>();
        services.AddScoped<LockConfigVersion>();
        services.AddScoped<ExportAgentConfig>();
        services.AddScoped<ImportAgentConfig>();
        services.AddSingleton<ConfiguredSettingsProvider>();
        services.AddSingleton<IAgentSettingsProvider>(sp => sp.GetRequiredService<ConfiguredSettingsProvider>());
        services.AddSingleton<IWorkspaceCache>(sp => sp.GetRequiredService<ConfiguredSettingsProvider>());
        return builder;
    }

    public static WebApplication MapAgentConfigEndpoints(this WebApplication app)
    {
        app.MapVersionExport();
        app.MapSandboxApi();
        return app;
    }

    /// <summary>GET /agent-config/versions/{number}/export: one version as a JSON file (Admins; no secrets in it).</summary>
    private static IEndpointRouteBuilder MapVersionExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/agent-config/versions/{number:int}/export", async (int number, ExportAgentConfig export, CancellationToken ct) =>
            await export.HandleAsync(number, ct) is { } json
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(json), "application/json", $"agent-config-v{number}.json")
                : Results.NotFound())
            .RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }
}
