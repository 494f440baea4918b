namespace HitlConsole.Features.Analytics;

public static class AnalyticsRegistration
{
    public static WebApplicationBuilder AddAnalytics(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<GetAnalytics>();
        services.AddScoped<ListAnalyticsIntents>();
        services.AddScoped<AnalyticsSummariser>();
        services.AddTransient<SummariseAnalyticsJob>();
        return builder;
    }

    public static WebApplication MapAnalyticsEndpoints(this WebApplication app)
    {
        app.MapAnalyticsExport();
        return app;
    }
}
