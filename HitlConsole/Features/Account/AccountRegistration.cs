using Microsoft.Extensions.DependencyInjection.Extensions;
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
    public const string ProfilePath = "/account/profile";
    public const string SaveProfilePath = "/account/profile/save";
    public const string CultureClaim = "hitl:culture";
    public const string DisplayNameClaim = "hitl:name";
    public const string SwitchWorkspacePath = "/account/workspace";
    public const string PlatformOperatorPolicy = "PlatformOperator";

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<SignIn>();
        services.TryAddSingleton<ISignInHints, NoSignInHints>();
        services.AddScoped<ChangePassword>();
        services.AddScoped<UpdateProfile>();
        services.AddScoped<GetProfile>();
        services.AddScoped<MyWorkspaces>();
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
            .AddErrorDescriber<LocalizedIdentityErrors>()
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
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.OnRefreshingPrincipal = c =>
            {
                if (c.CurrentPrincipal is not null && c.NewPrincipal is not null)
                    WorkspaceSession.KeepWorkspace(c.CurrentPrincipal, c.NewPrincipal, ClaimTypes.Role);
                return Task.CompletedTask;
            };
        });
        services.AddOptions<PlatformOptions>().BindConfiguration(PlatformOptions.Section);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(PlatformOperatorPolicy, p => p.RequireClaim(WorkspaceSession.PlatformClaim, WorkspaceSession.PlatformOperator));
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

        // A plain form post from the app bar: the page reloads, so the next circuit opens in the chosen workspace.
        app.MapPost(SwitchWorkspacePath, async ([FromForm] Guid workspace, HttpContext http, [FromServices] SignInManager<AppUser> signIn,
            [FromServices] IDbContextFactory<HitlDbContext> factory) =>
        {
            if (await signIn.UserManager.GetUserAsync(http.User) is not { } user) return Results.Unauthorized();
            await using (var db = await factory.CreateDbContextAsync(http.RequestAborted))
            {
                var memberships = await WorkspaceSession.ListAsync(db, user.Id, http.RequestAborted);
                if (memberships.All(m => m.TenantId != workspace)) return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            user.TenantId = workspace;
            await signIn.UserManager.UpdateAsync(user);
            await signIn.RefreshSignInAsync(user);
            return Results.LocalRedirect("/");
        });
        // The switch is a form post; the address typed, bookmarked or reloaded after it goes home instead of a 405.
        app.MapGet(SwitchWorkspacePath, () => Results.LocalRedirect("/"));

        // The profile page posts a plain form: a new name goes on the sign-in cookie and a new language on the culture cookie,
        // which only a response can write. Either way the page comes back, saying what happened.
        app.MapPost(SaveProfilePath, async ([FromForm] UpdateProfile.Input input, HttpContext http, [FromServices] UpdateProfile profile) =>
            Results.LocalRedirect(await profile.HandleAsync(http.User, input) is UpdateProfile.Result.Refused refused
                ? $"{ProfilePath}?error={refused.Reason}"
                : $"{ProfilePath}?saved=1"));
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
        await using var db = await services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(context.HttpContext.RequestAborted);
        if (context.Principal is null || !await WorkspaceSession.IsValidAsync(db, context.Principal, stampClaim, context.HttpContext.RequestAborted))
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

/// <summary>
/// Disabled users, and users with no workspace they may enter (removed, disabled there, suspended) who are not platform
/// operators, cannot sign in; the refusal looks like any other failed sign-in.
/// </summary>
public sealed class HitlSignInManager(
    UserManager<AppUser> users, IHttpContextAccessor http, IUserClaimsPrincipalFactory<AppUser> claims,
    IOptions<IdentityOptions> options, ILogger<SignInManager<AppUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes, IUserConfirmation<AppUser> confirmation,
    IDbContextFactory<HitlDbContext> factory, IOptions<PlatformOptions> platform)
    : SignInManager<AppUser>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user)
    {
        if (user.IsDisabled || !await base.CanSignInAsync(user)) return false;
        if (user.IsPlatformOperator || platform.Value.IsListed(user.Email)) return true;
        await using var db = await factory.CreateDbContextAsync();
        return await WorkspaceSession.ChooseAsync(db, user) is not null;
    }
}

/// <summary>
/// Puts the workspace in force (the key of every query filter), the role the user has there, the workspace's culture, the
/// display name and the platform-operator mark on the cookie. Roles come from the membership, not from Identity's role tables.
/// </summary>
public sealed class HitlClaimsPrincipalFactory(
    UserManager<AppUser> users, IOptions<IdentityOptions> options, IDbContextFactory<HitlDbContext> factory,
    IOptions<PlatformOptions> platform)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccountRegistration.DisplayNameClaim, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName));
        await using var db = await factory.CreateDbContextAsync();
        var workspace = await WorkspaceSession.ChooseAsync(db, user);
        if (workspace is not null)
        {
            identity.AddClaim(new Claim(TenantContext.TenantClaim, workspace.TenantId.ToString()));
            identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, workspace.Role));
        }
        identity.AddClaim(new Claim(AccountRegistration.CultureClaim, workspace?.Culture ?? "en"));
        if (user.IsPlatformOperator || platform.Value.IsListed(user.Email))
            identity.AddClaim(new Claim(WorkspaceSession.PlatformClaim, WorkspaceSession.PlatformOperator));
        if (user.MustChangePassword) identity.AddClaim(new Claim(WorkspaceSession.MustChangePasswordClaim, "true"));
        return identity;
    }
}
