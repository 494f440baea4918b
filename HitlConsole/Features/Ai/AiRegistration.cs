using HitlConsole.Features.Ai.Embeddings;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Knowledge.Search;

namespace HitlConsole.Features.Ai;

public static class AiRegistration
{
    public static WebApplicationBuilder AddAi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ITextEmbedder, MiniLmEmbedder>();
        services.AddSingleton<KnowledgeIndex>();
        services.AddSingleton<KnowledgeSearch>();
        services.AddSingleton<Languages.TextLanguage>();
        services.AddSingleton<BuiltInModel>();
        services.AddSingleton<ModelSecrets>();
        services.AddSingleton<OpenAiCompatibleModel>();
        services.AddSingleton<IAgentSettingsProvider, AgentConfig.ConfiguredSettingsProvider>();
        services.AddSingleton<ModelRouter>();
        services.AddSingleton<IDraftGenerator>(sp => sp.GetRequiredService<ModelRouter>());
        services.AddSingleton<KnowledgeEmbedder>();
        services.AddHostedService(sp => sp.GetRequiredService<KnowledgeEmbedder>());
        services.AddScoped<ModelProfiles>();
        return builder;
    }

    public static WebApplication MapAiEndpoints(this WebApplication app)
    {
        app.MapSandboxApi();
        AgentConfig.AgentConfigRegistration.MapAgentConfigEndpoints(app);
        Admin.Audit.GetAuditLog.MapAuditExport(app);
        Analytics.AnalyticsExport.MapAnalyticsExport(app);
        app.MapKnowledgeExport();
        Knowledge.Import.ImportReport.MapImportReport(app);
        return app;
    }
}
