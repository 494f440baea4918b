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
        services.AddScoped<AgentConfigStore>();
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
        app.MapGet("/agent-config/versions/{number:int}/export", async (int number, AgentConfigStore store, CancellationToken ct) =>
            await store.ExportAsync(number, ct) is { } json
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(json), "application/json", $"agent-config-v{number}.json")
                : Results.NotFound())
            .RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }
}
