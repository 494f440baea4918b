namespace HitlConsole.Features.Learning;

public static class LearningRegistration
{
    public static WebApplicationBuilder AddLearning(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LearningOptions>().BindConfiguration(LearningOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MeaningClusters>();
        services.AddScoped<PublishKnowledge>();
        services.AddScoped<ProposeKnowledge>();
        services.AddScoped<SuggestedKnowledge>();
        services.AddScoped<KnowledgeGaps>();
        return builder;
    }

    public static WebApplication MapLearningEndpoints(this WebApplication app)
    {
        app.MapCorrectionsApi();
        return app;
    }
}
