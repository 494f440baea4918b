using HitlConsole.Features.Localization;
using System.ComponentModel.DataAnnotations;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;

namespace HitlConsole.Features.Account;

/// <summary>
/// Password sign-in. Every refusal (unknown e-mail, wrong password, locked out, disabled) is the
/// same <c>false</c>, so the page cannot tell an attacker which accounts exist.
/// </summary>
public sealed partial class SignIn(
    SignInManager<AppUser> signIn, UserManager<AppUser> users, IPasswordHasher<AppUser> hasher, TimeProvider clock, ILogger<SignIn> logger)
{
    public sealed class Input
    {
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string Email { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string Password { get; set; } = "";
    }

    private static readonly AppUser Nobody = new() { UserName = "nobody" };
    private static readonly string NobodyHash = new PasswordHasher<AppUser>().HashPassword(Nobody, Guid.NewGuid().ToString());

    /// <summary>
    /// Every refusal lasts at least this long. Hashing alone evens out most paths, but a wrong password also writes the
    /// failure count, which on a slow disk costs more than the hash; a floor above both hides that write.
    /// </summary>
    public static readonly TimeSpan RefusalFloor = TimeSpan.FromMilliseconds(300);

    public async Task<bool> HandleAsync(Input input)
    {
        var started = clock.GetTimestamp();
        if (await TrySignInAsync(input)) return true;
        var remaining = RefusalFloor - clock.GetElapsedTime(started);
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining, clock);
        return false;
    }

    private async Task<bool> TrySignInAsync(Input input)
    {
        var user = await users.FindByEmailAsync(input.Email.Trim());
        if (user is null)
        {
            // Spend the same hashing time as a real check so response time does not reveal unknown e-mails.
            hasher.VerifyHashedPassword(Nobody, NobodyHash, input.Password);
            LogRefused("unknown");
            return false;
        }

        var result = await signIn.PasswordSignInAsync(user, input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            // The language chosen on the profile follows the user to a new browser, unless they picked one on the sign-in page.
            UpdateProfile.ApplyCulture(signIn.Context, await UpdateProfile.CultureAtSignInAsync(signIn.Context, user, users), clock);
            LogSignedIn(user.Id);
            return true;
        }
        // Locked-out and disabled accounts are refused before any password check: spend the hashing time anyway, so a refusal's
        // duration does not tell which e-mails exist (lock an account, then time it).
        if (result.IsLockedOut || result.IsNotAllowed) hasher.VerifyHashedPassword(Nobody, NobodyHash, input.Password);
        LogRefused(result.IsLockedOut ? "locked-out" : result.IsNotAllowed ? "not-allowed" : "wrong-password");
        return false;
    }

    /// <summary>Only local paths; anything else (including "//evil" and "/\evil") goes home.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        LocalUrl.IsLocal(returnUrl) && !returnUrl!.StartsWith(AccountRegistration.LoginPath, StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in")]
    private partial void LogSignedIn(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused ({Reason})")]
    private partial void LogRefused(string reason);
}
