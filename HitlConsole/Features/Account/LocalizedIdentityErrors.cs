using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Account;

/// <summary>ASP.NET Core Identity's refusals (weak password, taken e-mail…) in the UI language of the person who caused them.</summary>
public sealed class LocalizedIdentityErrors(IStringLocalizer<SharedResource> l) : IdentityErrorDescriber
{
    private IdentityError Error(string code, string key, params object[] args) => new() { Code = code, Description = l[key, args] };

    public override IdentityError DefaultError() => Error(nameof(DefaultError), "IdentityDefaultError");
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), "IdentityPasswordMismatch");
    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), "IdentityInvalidToken");
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), "IdentityInvalidEmail", userName ?? "");
    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), "IdentityInvalidEmail", email ?? "");
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), "UserRefusedEmailTaken");
    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), "UserRefusedEmailTaken");
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), "IdentityPasswordTooShort", length);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), "IdentityPasswordUniqueChars", uniqueChars);
    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), "IdentityPasswordNonAlphanumeric");
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), "IdentityPasswordDigit");
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), "IdentityPasswordLower");
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), "IdentityPasswordUpper");
    public override IdentityError UserAlreadyHasPassword() => Error(nameof(UserAlreadyHasPassword), "IdentityDefaultError");
    public override IdentityError UserLockoutNotEnabled() => Error(nameof(UserLockoutNotEnabled), "IdentityDefaultError");
    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), "IdentityConcurrency");
}
