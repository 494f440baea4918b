using HitlConsole.Infrastructure;
using HitlConsole.Infrastructure.Embeddings;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Ai;

public static class AiRegistration
{
    public static WebApplicationBuilder AddAi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ITextEmbedder, MiniLmEmbedder>();
        services.AddSingleton<BuiltInModel>();
        services.AddSingleton<Knowledge.IWorkspaceIntents, WorkspaceIntents>();
        services.AddSingleton<IWarmUp, BuiltInModelWarmUp>();
        services.AddSingleton<IWarmUp, SafetyModelWarmUp>();
        services.AddSingleton<ModelSecrets>();
        services.AddSingleton<OpenAiCompatibleModel>();
        services.AddSingleton<IWorkspaceCache>(sp => sp.GetRequiredService<OpenAiCompatibleModel>());
        services.AddSingleton<ModelRouter>();
        services.AddSingleton<IDraftGenerator>(sp => sp.GetRequiredService<ModelRouter>());
        return builder;
    }
}
