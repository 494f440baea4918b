using HitlConsole.Domain;

namespace HitlConsole.Features.AgentConfig;

public static class AgentConfigRegistration
{
    public static IServiceCollection AddAgentConfig(this IServiceCollection services)
    {
        services.AddScoped<AgentConfigStore>();
        services.AddScoped<ManageChannels>();
        return services;
    }

    /// <summary>GET /agent-config/versions/{number}/export: one version as a JSON file (Admins; no secrets in it).</summary>
    public static IEndpointRouteBuilder MapAgentConfigEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/agent-config/versions/{number:int}/export", async (int number, AgentConfigStore store, CancellationToken ct) =>
            await store.ExportAsync(number, ct) is { } json
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(json), "application/json", $"agent-config-v{number}.json")
                : Results.NotFound())
            .RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }
}
