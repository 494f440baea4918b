using System.Globalization;
using HitlConsole.Features.Account;
using HitlConsole.Infrastructure.Security;
using Microsoft.AspNetCore.Localization;

namespace HitlConsole.Features.Localization;

public static class LocalizationRegistration
{
    public static readonly string[] SupportedCultures = ["en", "es"];

    public static WebApplicationBuilder AddUiLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.AddScoped<WorkspaceTime>();
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture("en").AddSupportedCultures(SupportedCultures).AddSupportedUICultures(SupportedCultures);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            // Explicit choice (cookie) first, then the tenant's default culture, then the browser.
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new CustomRequestCultureProvider(http => Task.FromResult(
                    http.User.FindFirst(AccountRegistration.CultureClaim)?.Value is { } c ? new ProviderCultureResult(c) : null)),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    public static WebApplication MapCultureEndpoint(this WebApplication app)
    {
        // GET so a plain link works on the sign-in page; an unknown culture is ignored, never an error.
        app.MapGet("/culture/set", async (HttpContext http, TimeProvider clock, UpdateProfile profile, string? culture, string? redirectUri) =>
        {
            if (culture is not null && SupportedCultures.Contains(culture, StringComparer.OrdinalIgnoreCase))
            {
                await profile.RememberCultureAsync(http.User, culture.ToLowerInvariant());
                if (http.User.Identity?.IsAuthenticated != true) UpdateProfile.RememberChoiceBeforeSignIn(http, culture.ToLowerInvariant(), clock);
                http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture.ToLowerInvariant())),
                    new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            }
            return Results.LocalRedirect(LocalUrl.OrHome(redirectUri));
        }).AllowAnonymous();
        return app;
    }
}
