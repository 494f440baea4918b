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
        services.AddSingleton<IngestInbound>();
        services.AddSingleton<DraftOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<DraftOutbox>());
        services.AddSingleton<DraftComposer>();
        services.AddSingleton(sp => new Infrastructure.DraftingThreads(
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value.DraftingNice, sp.GetRequiredService<ILogger<Infrastructure.DraftingThreads>>()));
        services.AddScoped<GenerateDraft>();
        services.AddSingleton<ConversationPlaceholders>();
        services.AddSingleton<ExpireStaleDrafts>();
        services.AddTransient<GenerateDraftJob>();
        services.AddTransient<ExpireStaleDraftsJob>();

        // Polly's telemetry logs each attempt's result as it is: a draft's text, which carries what the customer wrote.
        // Logs carry what happened, never the text; a failed attempt still logs its exception.
        services.Configure<Polly.Telemetry.TelemetryOptions>(o => o.ResultFormatter = (_, result) => result?.GetType().Name);
        services.AddResiliencePipeline(DraftComposer.ResilienceKey, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<PipelineOptions>>().Value;
            pipeline.AddRetry(new Polly.Retry.RetryStrategyOptions
            {
                MaxRetryAttempts = 2, Delay = o.ModelRetryDelay, BackoffType = DelayBackoffType.Exponential, UseJitter = true,
                // An HTTP timeout is worth another attempt; a stop (the job's token, or the app's services already disposed) is not.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex =>
                    ex is TaskCanceledException || ex is not (OperationCanceledException or ObjectDisposedException)),
            });
        });
        return builder;
    }
}
