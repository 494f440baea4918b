using System.Security.Cryptography;

namespace HitlConsole.Infrastructure.Security;

/// <summary>
/// Headers every response carries. The content security policy allows scripts from the app itself plus the one inline
/// script Blazor renders (the import map) through a per-request nonce; MudBlazor positions popovers with inline styles,
/// so styles may be inline. No page may be framed.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "hitl.csp-nonce";

    /// <summary>The nonce of this request's policy, for the inline scripts the app renders itself.</summary>
    public static string? Nonce(HttpContext http) => http.Items[NonceKey] as string;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // A status page (404) re-executes the pipeline for the same request: it keeps the first nonce and the first
        // policy, or the page would carry one nonce and the header another (the import map then refused).
        if (http.Items.ContainsKey(NonceKey)) return next(http);
        var nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)); // no + or / to escape in HTML
        http.Items[NonceKey] = nonce;
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(Jobs.JobsRegistration.DashboardPath)
                // Hangfire's dashboard (Admins only) ships inline scripts of its own; it still may not be framed.
                ? "frame-ancestors 'none'; object-src 'none'; base-uri 'self'"
                : $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
                  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
