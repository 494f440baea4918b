namespace HitlConsole.Features.Home;

public static class HomeRegistration
{
    public static WebApplicationBuilder AddHome(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<GetWorkspaceSummary>();
        builder.Services.AddScoped<GetMyDay>();
        return builder;
    }
}
