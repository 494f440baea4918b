using System.ComponentModel.DataAnnotations;
using HitlConsole.Domain;
using HitlConsole.Features.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace HitlConsole.Features.Account;

/// <summary>
/// A signed-in user's own profile: the name others see, and the UI language. The language is set as this browser's culture
/// cookie and kept on the user, so signing in from a new browser speaks it too (<see cref="ApplyCulture"/>).
/// </summary>
public sealed partial class UpdateProfile(SignInManager<AppUser> signIn, TimeProvider clock, ILogger<UpdateProfile> logger)
{
    public static readonly string[] Cultures = ["en", "es"];

    private const string NameInvalid = "ProfileNameInvalid", LanguageInvalid = "ProfileLanguageInvalid", NotFound = "ProfileNotFound";

    /// <summary>Every reason a save is refused (resource keys): the page names only these, whatever the address says.</summary>
    public static readonly string[] Refusals = [NameInvalid, LanguageInvalid, NotFound];

    public sealed class Input
    {
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required))]
        [MaxLength(200, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))]
        public string DisplayName { get; set; } = "";

        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required))]
        public string Culture { get; set; } = "en";
    }

    public abstract record Result
    {
        public sealed record Saved : Result;
        /// <summary><paramref name="Reason"/> is a resource key.</summary>
        public sealed record Refused(string Reason) : Result;
    }

    public async Task<Result> HandleAsync(System.Security.Claims.ClaimsPrincipal principal, Input input)
    {
        var name = (input.DisplayName ?? "").Trim();
        if (name.Length is 0 or > 200) return new Result.Refused(NameInvalid);
        if (!Cultures.Contains(input.Culture)) return new Result.Refused(LanguageInvalid);
        if (await signIn.UserManager.GetUserAsync(principal) is not { } user) return new Result.Refused(NotFound);
        (user.DisplayName, user.Culture) = (name, input.Culture);
        var updated = await signIn.UserManager.UpdateAsync(user);
        if (!updated.Succeeded) return new Result.Refused(NameInvalid);
        // A fresh cookie carries the new name to the app bar.
        await signIn.RefreshSignInAsync(user);
        ApplyCulture(signIn.Context, user.Culture, clock);
        LogSaved(user.Id);
        return new Result.Saved();
    }

    /// <summary>
    /// The language picked in the app bar is the user's one language setting: it is kept on the user as the profile's choice is,
    /// so the profile shows it and the next sign-in, in any browser, speaks it. Nothing for a visitor who is not signed in.
    /// </summary>
    public async Task RememberCultureAsync(System.Security.Claims.ClaimsPrincipal principal, string culture)
    {
        if (principal.Identity?.IsAuthenticated != true || !Cultures.Contains(culture)) return;
        if (await signIn.UserManager.GetUserAsync(principal) is not { } user || user.Culture == culture) return;
        user.Culture = culture;
        await signIn.UserManager.UpdateAsync(user);
    }

    /// <summary>
    /// A language picked on the sign-in page, before anyone is signed in: for an hour it is the choice the next sign-in keeps
    /// (and remembers on the user) instead of the profile's older one. Without it a person who clicked "English" there was
    /// signed in to the Spanish they had picked weeks before.
    /// </summary>
    public const string ChosenBeforeSignInCookie = "hitl.culture-chosen";

    public static void RememberChoiceBeforeSignIn(HttpContext http, string culture, TimeProvider clock) =>
        http.Response.Cookies.Append(ChosenBeforeSignInCookie, culture,
            new CookieOptions { Expires = clock.GetUtcNow().AddHours(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });

    /// <summary>At sign-in: the language picked on the sign-in page if any (now the user's), else the profile's.</summary>
    public static async Task<string?> CultureAtSignInAsync(HttpContext http, AppUser user, UserManager<AppUser> users)
    {
        if (http.Request.Cookies[ChosenBeforeSignInCookie] is not { } chosen || !Cultures.Contains(chosen)) return user.Culture;
        http.Response.Cookies.Delete(ChosenBeforeSignInCookie);
        if (user.Culture != chosen)
        {
            user.Culture = chosen;
            await users.UpdateAsync(user);
        }
        return chosen;
    }

    /// <summary>Sets the browser's culture cookie (as <c>/culture/set</c> does) to the user's chosen language, if they chose one.</summary>
    public static void ApplyCulture(HttpContext http, string? culture, TimeProvider clock)
    {
        if (culture is null || !Cultures.Contains(culture)) return;
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} updated their profile")]
    private partial void LogSaved(string userId);
}
