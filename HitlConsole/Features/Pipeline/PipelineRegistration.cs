using HitlConsole.Features.Ai;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Jobs;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

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
        services.AddSingleton<PostgresLiveBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresLiveBridge>());
        services.AddSingleton<IngestInbound>();
        services.AddSingleton<DraftOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<DraftOutbox>());
        services.AddSingleton<DraftComposer>();
        services.AddScoped<GenerateDraft>();
        services.AddScoped<ReviewDraft>();
        services.AddScoped<SimulatorChat>();
        services.AddScoped<Inbox.GetInbox>();
        services.AddOptions<Inbox.ReviewOptions>().BindConfiguration(Inbox.ReviewOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.ClientTimeoutInterval >= 2 * o.KeepAliveInterval, "Review:ClientTimeoutInterval must be at least twice Review:KeepAliveInterval.")
            .ValidateOnStart();
        services.AddScoped<Inbox.DraftLeases>();
        services.AddSingleton<Inbox.PresenceTracker>();
        services.AddScoped<Inbox.ReviewCircuit>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, Inbox.ReviewCircuitHandler>();
        services.AddScoped<Inbox.GetConversation>();
        services.AddScoped<Inbox.UpdateConversation>();
        services.AddScoped<SendOutbound>();
        services.AddSingleton<ExpireStaleDrafts>();
        services.AddTransient<GenerateDraftJob>();
        services.AddTransient<SendMessageJob>();
        services.AddTransient<AutoSendDraftJob>();
        services.AddTransient<ExpireStaleDraftsJob>();
        services.AddTransient<QueryPlannerStatisticsJob>();
        services.AddHostedService<RecurringJobsRegistrar>();

        services.AddResiliencePipeline(DraftComposer.ResilienceKey, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<PipelineOptions>>().Value;
            pipeline.AddRetry(new Polly.Retry.RetryStrategyOptions
            {
                MaxRetryAttempts = 2, Delay = o.ModelRetryDelay, BackoffType = DelayBackoffType.Exponential, UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException || ex is TaskCanceledException),
            });
        });

        services.AddHttpClient<WhatsAppGraphClient>()
            .AddResilienceHandler("whatsapp-send", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<PipelineOptions>>().Value;
                // Defaults retry on 429, 5xx, timeouts and network errors, honouring Retry-After.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3, Delay = o.SendRetryDelay, BackoffType = DelayBackoffType.Exponential, UseJitter = true,
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(15));
            });
        return builder;
    }

    public static WebApplication MapPipelineEndpoints(this WebApplication app)
    {
        app.MapWhatsAppWebhook();
        app.MapSimulatorApi();
        return app;
    }
}
