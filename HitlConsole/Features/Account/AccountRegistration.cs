using Microsoft.EntityFrameworkCore;
using System.Security.Claims;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Account;

public static class AccountRegistration
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string CultureClaim = "hitl:culture";
    public const string DisplayNameClaim = "hitl:name";

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<SignIn>();
        services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<HitlDbContext>()
            .AddSignInManager<HitlSignInManager>()
            .AddClaimsPrincipalFactory<HitlClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            // Every request checks the cookie's security stamp against the user's (one key lookup): a copy of the cookie taken
            // before sign-out is refused at once; the full revalidation (disabled, roles) still runs every minute.
            o.Events.OnValidatePrincipal = SessionStamp.ValidateAsync;
            o.LoginPath = LoginPath;
            o.LogoutPath = LogoutPath;
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "hitl.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
        });
        // A disabled user or a reset password ends other sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        return builder;
    }

    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        // Antiforgery is checked here, not by binding: the form posts no fields. A new security stamp ends this session on every
        // copy of its cookie.
        app.MapPost(LogoutPath, async (HttpContext http, [FromServices] SignInManager<AppUser> signIn, [FromServices] IAntiforgery antiforgery,
            [FromServices] ILoggerFactory logs) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                SessionStamp.LogForgedSignOut(logs.CreateLogger(typeof(AccountRegistration)));
                return Results.BadRequest();
            }
            if (await signIn.UserManager.GetUserAsync(http.User) is { } user) await signIn.UserManager.UpdateSecurityStampAsync(user);
            await signIn.SignOutAsync();
            return Results.LocalRedirect(LoginPath);
        }).DisableAntiforgery();
        return app;
    }
}

/// <summary>The session ends when the user's security stamp changes (sign-out, reset password, disabled): checked on every request.</summary>
public static partial class SessionStamp
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var userId = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = context.Principal?.FindFirstValue(stampClaim);
        await using var db = await services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(context.HttpContext.RequestAborted);
        var current = userId is null ? null
            : await db.Users.IgnoreQueryFilters().Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (current is null || current != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-out refused (400): no valid antiforgery token")]
    public static partial void LogForgedSignOut(ILogger logger);
}

/// <summary>Disabled users cannot sign in; the refusal looks like any other failed sign-in.</summary>
public sealed class HitlSignInManager(
    UserManager<AppUser> users, IHttpContextAccessor http, IUserClaimsPrincipalFactory<AppUser> claims,
    IOptions<IdentityOptions> options, ILogger<SignInManager<AppUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes, IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);
}

/// <summary>Puts the tenant (the key of every query filter), tenant culture and display name on the cookie.</summary>
public sealed class HitlClaimsPrincipalFactory(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options,
    IDbContextFactory<HitlDbContext> factory)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(TenantContext.TenantClaim, user.TenantId.ToString()));
        identity.AddClaim(new Claim(AccountRegistration.DisplayNameClaim, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName));
        await using var db = await factory.CreateDbContextAsync();
        var culture = await db.Tenants.Where(t => t.Id == user.TenantId).Select(t => t.DefaultCulture).SingleOrDefaultAsync();
        identity.AddClaim(new Claim(AccountRegistration.CultureClaim, culture ?? "en"));
        return identity;
    }
}
