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
        app.UseWebSocketsEndWithTheServer();
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

    /// <summary>
    /// A console's circuit is a WebSocket that never ends by itself, so a stopping server waited for every open console until
    /// the host's shutdown timeout (30 s) before the job server and the rest were even asked to stop: a restart took half a
    /// minute. They are closed when stopping begins; the browsers show their reconnect notice at once instead of 30 s later.
    /// </summary>
    private static void UseWebSocketsEndWithTheServer(this WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use(async (http, next) =>
        {
            // The circuit's path, whatever its transport: before routing no WebSocket feature is there to ask.
            if (!http.Request.Path.StartsWithSegments("/_blazor"))
            {
                await next(http);
                return;
            }
            // A console that reconnects while the server stops would open a circuit nobody ends: it is told to come back later.
            if (stopping.IsCancellationRequested)
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            using var end = stopping.Register(static state => ((HttpContext)state!).Abort(), http);
            await next(http);
        });
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
