using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Analytics;

public static class AnalyticsRegistration
{
    public static WebApplicationBuilder AddAnalytics(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped(sp => new AnalyticsScans(sp.GetRequiredService<IDbContextFactory<HitlDbContext>>(), useSummary: true));
        services.AddScoped<GetAnalyticsOverview>();
        services.AddScoped<GetAnalyticsKpis>();
        services.AddScoped<GetIntentAnalytics>();
        services.AddScoped<GetResponseAnalytics>();
        services.AddScoped<GetConfidenceAnalytics>();
        services.AddScoped<ListAnalyticsChannels>();
        services.AddScoped<ListAnalyticsVersions>();
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
