using Prometheus;
using HitlConsole.Infrastructure.Security;
using HitlConsole.Features.Account;
using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.Admin.Users;
using HitlConsole.Features.Home;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Setup;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace HitlConsole.Features;

public static class FeatureRegistration
{
    public static WebApplicationBuilder AddUi(this WebApplicationBuilder builder)
    {
        // Heartbeats are set, not left to defaults: a browser that stops answering is dropped after ClientTimeoutInterval,
        // and with it its presence and draft leases (ReviewCircuitHandler).
        var review = builder.Configuration.GetSection(Inbox.ReviewOptions.Section).Get<Inbox.ReviewOptions>() ?? new Inbox.ReviewOptions();
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents(o => o.DisconnectedCircuitRetentionPeriod = review.DisconnectedCircuitRetention)
            .AddHubOptions(o =>
            {
                o.KeepAliveInterval = review.KeepAliveInterval;
                o.ClientTimeoutInterval = review.ClientTimeoutInterval;
            });
        builder.Services.AddMudServices(o =>
        {
            // Bottom right keeps confirmations clear of the app bar and page actions.
            o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            o.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        builder.Services.AddTransient<MudBlazor.MudLocalizer, Components.HitlMudLocalizer>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplicationBuilder AddFeatures(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<SignIn>();
        services.AddScoped<GetWorkspaceSummary>();
        services.AddScoped<GetKnowledgePage>();
        services.AddScoped<Knowledge.ManageKnowledge>();
        services.AddScoped<Knowledge.CorrectKnowledgeLanguages>();
        services.AddTransient<Knowledge.CorrectKnowledgeLanguagesJob>();
        services.AddOptions<Knowledge.Import.KnowledgeImportOptions>().BindConfiguration(Knowledge.Import.KnowledgeImportOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<Knowledge.Import.StartImport>();
        services.AddScoped<Knowledge.Import.RunImport>();
        services.AddTransient<Knowledge.Import.ImportKnowledgeJob>();
        services.AddSingleton<Knowledge.Import.PurgeAbandonedImports>();
        services.AddTransient<Knowledge.Import.PurgeAbandonedImportsJob>();
        services.AddAgentConfig();
        services.AddScoped<ListUsers>();
        services.AddScoped<Admin.Audit.GetAuditLog>();
        services.AddScoped<Analytics.GetAnalytics>();
        services.AddScoped<Analytics.AnalyticsSummariser>();
        services.AddTransient<Analytics.SummariseAnalyticsJob>();
        services.AddScoped<ManageUsers>();
        return builder;
    }

    public static WebApplication UseHitlPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }
        // Friendly status pages for people browsing; APIs and webhooks keep their bare status codes.
        app.UseWhen(http => HttpMethods.IsGet(http.Request.Method) && !http.Request.Path.StartsWithSegments("/api")
                            && !http.Request.Path.StartsWithSegments("/webhooks"),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseSecurityHeaders();
        app.UseRouting();
        app.UseHttpMetrics(); // after routing: requests are labelled by endpoint, not by raw path
        app.UseCors(); // only endpoints that ask for ApiCors.Policy (the JSON API) answer cross-origin requests
        app.UseRateLimiter();
        app.UseAuthentication();
        // After authentication: the tenant's default language comes from the signed-in user.
        app.UseRequestLocalization(app.Services.GetRequiredService<IOptions<RequestLocalizationOptions>>().Value);
        app.UseTenancy();
        app.UseLogEnrichment();
        app.UseRequestLogging();
        app.UseSetupGate(); // before authorization: an empty database has nobody to sign in as
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>An invalid configuration ends the process with one clear log line naming the key.</summary>
    public static async Task RunWithStartupDiagnosticsAsync(this WebApplication app, Action<WebApplication> configure)
    {
        try
        {
            configure(app);
            await app.RunAsync();
        }
        catch (OptionsValidationException ex)
        {
            app.Logger.LogCritical("Refusing to start: {Reason}", string.Join(" ", ex.Failures));
            Environment.ExitCode = 1;
        }
    }
}
