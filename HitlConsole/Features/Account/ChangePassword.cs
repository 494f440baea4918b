using HitlConsole.Features.Localization;
using System.ComponentModel.DataAnnotations;
using HitlConsole.Domain;
using Microsoft.AspNetCore.Identity;

namespace HitlConsole.Features.Account;

/// <summary>
/// A signed-in user changes their own password: always possible from the user menu, and required at the first sign-in
/// with an initial password handed out by the platform operator.
/// </summary>
public sealed partial class ChangePassword(SignInManager<AppUser> signIn, ILogger<ChangePassword> logger)
{
    public sealed class Input
    {
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string Current { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string New { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string Confirm { get; set; } = "";
    }

    public abstract record Result
    {
        public sealed record Changed : Result;
        /// <summary>Resource keys of what to fix (wrong current password, password rules).</summary>
        public sealed record Refused(IReadOnlyList<string> Reasons) : Result;
    }

    public async Task<Result> HandleAsync(System.Security.Claims.ClaimsPrincipal principal, Input input)
    {
        if (await signIn.UserManager.GetUserAsync(principal) is not { } user) return new Result.Refused(["PasswordChangeWrongCurrent"]);
        if (input.New != input.Confirm) return new Result.Refused(["PasswordChangeMismatch"]);
        if (input.New == input.Current) return new Result.Refused(["PasswordChangeSame"]);
        var changed = await signIn.UserManager.ChangePasswordAsync(user, input.Current, input.New);
        if (!changed.Succeeded)
            return new Result.Refused(changed.Errors.Select(e => e.Code == "PasswordMismatch" ? "PasswordChangeWrongCurrent" : "PasswordRules").Distinct().ToList());
        user.MustChangePassword = false;
        await signIn.UserManager.UpdateAsync(user);
        // The stamp changed with the password: other sessions end, this one gets a fresh cookie without the "must change" mark.
        await signIn.RefreshSignInAsync(user);
        LogChanged(user.Id);
        return new Result.Changed();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} changed their password")]
    private partial void LogChanged(string userId);
}

/// <summary>Until an initial password is replaced, the session can open nothing but the password page (and sign out).</summary>
public static class PasswordChangeGate
{
    public const string Path = "/account/password";

    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.User.HasClaim(WorkspaceSession.MustChangePasswordClaim, "true") && !IsAllowed(http.Request.Path))
            {
                if (HttpMethods.IsGet(http.Request.Method) && !http.Request.Path.StartsWithSegments("/api")) http.Response.Redirect(Path);
                else http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            await next(http);
        });

    private static bool IsAllowed(PathString path) =>
        path.StartsWithSegments("/account") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/health") || path.StartsWithSegments("/culture") || System.IO.Path.HasExtension(path.Value);
}
