using HitlConsole.Features.Ai;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Jobs;

namespace HitlConsole.Features.Pipeline;

public static class PipelineRegistration
{
    public static WebApplicationBuilder AddPipeline(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.ReviewThreshold <= o.AutoSendThreshold, "Pipeline:ReviewThreshold must not exceed Pipeline:AutoSendThreshold.")
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<ChannelSecrets>();
        services.AddSingleton<WhatsAppChannelDirectory>();
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<IngestInbound>();
        services.AddSingleton<DraftOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<DraftOutbox>());
        services.AddSingleton<IDraftGenerator, KeywordDraftGenerator>();
        services.AddScoped<GenerateDraft>();
        services.AddTransient<GenerateDraftJob>();
        return builder;
    }

    public static WebApplication MapPipelineEndpoints(this WebApplication app)
    {
        app.MapWhatsAppWebhook();
        app.MapSimulatorApi();
        return app;
    }
}
