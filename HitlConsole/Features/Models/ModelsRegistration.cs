namespace HitlConsole.Features.Models;

public static class ModelsRegistration
{
    public static WebApplicationBuilder AddModels(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ModelProfiles>();
        return builder;
    }
}
