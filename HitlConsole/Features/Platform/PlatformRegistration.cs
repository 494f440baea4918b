namespace HitlConsole.Features.Platform;

public static class PlatformRegistration
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<ListWorkspaces>();
        services.AddScoped<ManageWorkspaces>();
        return builder;
    }

    public static WebApplication MapPlatformEndpoints(this WebApplication app)
    {
        return app;
    }
}
