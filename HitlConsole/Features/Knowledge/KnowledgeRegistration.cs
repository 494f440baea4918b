using HitlConsole.Features.Knowledge.Import;
using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Knowledge;

public static class KnowledgeRegistration
{
    public static WebApplicationBuilder AddKnowledge(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddKnowledgeSearch();
        services.AddSingleton<KnowledgeEmbedder>();
        services.AddHostedService(sp => sp.GetRequiredService<KnowledgeEmbedder>());
        services.AddScoped<GetKnowledgePage>();
        services.AddScoped<ManageKnowledge>();
        services.AddScoped<CorrectKnowledgeLanguages>();
        services.AddTransient<CorrectKnowledgeLanguagesJob>();
        services.AddOptions<KnowledgeImportOptions>().BindConfiguration(KnowledgeImportOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<StartImport>();
        services.AddScoped<RunImport>();
        services.AddTransient<ImportKnowledgeJob>();
        services.AddScoped<ImportHeartbeat>();
        services.AddSingleton<InterruptedImports>();
        // Before the job server starts (AddJobs), so a job delivered again finds it reported.
        services.AddHostedService(sp => sp.GetRequiredService<InterruptedImports>());
        services.AddTransient<SweepInterruptedImportsJob>();
        services.AddSingleton<PurgeAbandonedImports>();
        services.AddTransient<PurgeAbandonedImportsJob>();
        return builder;
    }

    /// <summary>Search over a workspace's knowledge (vector and text indexes, fused); the retrieval benchmark uses it too.</summary>
    public static IServiceCollection AddKnowledgeSearch(this IServiceCollection services)
    {
        services.AddSingleton<KnowledgeIndex>();
        services.AddSingleton<IWorkspaceCache>(sp => sp.GetRequiredService<KnowledgeIndex>());
        services.AddSingleton<TextIndexSnapshots>();
        services.AddSingleton<KnowledgeTextIndex>();
        services.AddSingleton<IWorkspaceCache>(sp => sp.GetRequiredService<KnowledgeTextIndex>());
        services.AddSingleton<KnowledgeSearch>();
        return services;
    }

    public static WebApplication MapKnowledgeEndpoints(this WebApplication app)
    {
        app.MapKnowledgeExport();
        app.MapImportReport();
        return app;
    }
}
