using HitlConsole.Features.Channels.Media;
using HitlConsole.Features.Channels.Settings;
using HitlConsole.Features.Channels.Templates;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace HitlConsole.Features.Channels;

public static class ChannelsRegistration
{
    public static WebApplicationBuilder AddChannels(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ChannelSecrets>();
        services.AddSingleton<WhatsAppChannelDirectory>();
        services.AddSingleton<WebhookLog>();
        services.AddSingleton<WebhookReader>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookReader>());
        services.AddSingleton<IWorkspaceCache>(sp => sp.GetRequiredService<WhatsAppChannelDirectory>());
        services.AddScoped<SimulatorChat>();
        services.AddScoped<ManageChannels>();
        services.AddScoped<SendOutbound>();
        services.AddTransient<SendMessageJob>();
        services.AddScoped<RequeueStalledSends>();
        services.AddTransient<RequeueStalledSendsJob>();
        services.AddScoped<MarkConversationRead>();
        services.AddTransient<MarkReadJob>();
        services.AddScoped<GetTemplates>();
        services.AddScoped<SyncTemplates>();
        services.AddScoped<SendTemplate>();
        services.AddTransient<SyncTemplatesJob>();
        services.AddScoped<DownloadMedia>();
        services.AddTransient<DownloadMediaJob>();
        services.AddTransient<SweepMediaJob>();
        services.AddSingleton<MediaDownloads>();
        services.AddHttpClient<WhatsAppMediaClient>()
            .AddResilienceHandler("whatsapp-media", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<WhatsAppOptions>>().Value;
                // Retries 429, 5xx, timeouts and network errors (honouring Retry-After); each try has its own timeout.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2, Delay = o.MediaRetryDelay, BackoffType = DelayBackoffType.Exponential, UseJitter = true,
                });
                pipeline.AddTimeout(o.MediaTimeout);
            });
        services.AddHttpClient<WhatsAppMediaUploader>()
            .AddResilienceHandler("whatsapp-upload", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<WhatsAppOptions>>().Value.UploadTimeout));
        services.AddOptions<WhatsAppOptions>().BindConfiguration(WhatsAppOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // No retry here: the send job retries by Meta's error code, with backoff, and records each attempt for the agent.
        services.AddHttpClient<WhatsAppGraphClient>()
            .AddResilienceHandler("whatsapp-send", pipeline => pipeline.AddTimeout(TimeSpan.FromSeconds(15)));
        return builder;
    }

    public static WebApplication MapChannelsEndpoints(this WebApplication app)
    {
        app.MapWhatsAppWebhook();
        app.MapSimulatorApi();
        app.MapMediaEndpoint();
        return app;
    }
}
