using HitlConsole.Features.Account;
using HitlConsole.Features.Setup;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Infrastructure.Security;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.Extensions.Options;
using Prometheus;

namespace HitlConsole.Infrastructure;

/// <summary>The request pipeline every endpoint goes through, and how the host starts.</summary>
public static class HostRegistration
{
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
        app.UsePasswordChangeGate();
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
