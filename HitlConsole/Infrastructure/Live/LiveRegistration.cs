namespace HitlConsole.Infrastructure.Live;

/// <summary>Live events and presence shared by every feature that shows changes while a circuit is open.</summary>
public static class LiveRegistration
{
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<LiveReads>();
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<PostgresLiveBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresLiveBridge>());
        return builder;
    }
}
