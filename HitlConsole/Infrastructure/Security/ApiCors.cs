namespace HitlConsole.Infrastructure.Security;

/// <summary>
/// Cross-origin access to the JSON API (<c>/api/*</c>) for the origins in <c>Cors:AllowedOrigins</c> only; none by default.
/// The API authenticates with an <c>X-Api-Key</c> header, so cookies are never allowed cross-origin.
/// </summary>
public static class ApiCors
{
    public const string Policy = "api";

    public static IServiceCollection AddApiCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IConfiguration>((o, config) =>
        {
            var origins = config.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
            o.AddPolicy(Policy, p => p.WithOrigins(origins.Select(x => x.Trim().TrimEnd('/')).Where(x => x.Length > 0).ToArray())
                .WithMethods(HttpMethods.Post).WithHeaders("Content-Type", Features.Channels.Simulator.SimulatorApi.KeyHeader)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
        });
        return services;
    }
}
