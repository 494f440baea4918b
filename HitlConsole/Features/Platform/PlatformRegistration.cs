namespace HitlConsole.Features.Platform;

public static class PlatformRegistration
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<ListWorkspaces>();
        services.AddScoped<ManageWorkspaces>();
        services.AddScoped<SetAsideDeliveries>();
        services.AddScoped<DeleteWorkspace>();
        services.AddScoped<ExportWorkspace>();
        return builder;
    }

    public static WebApplication MapPlatformEndpoints(this WebApplication app)
    {
        ExportWorkspace.MapEndpoint(app);
        return app;
    }
}
