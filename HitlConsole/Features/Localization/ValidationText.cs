using System.Globalization;
using System.Resources;

namespace HitlConsole.Features.Localization;

/// <summary>
/// Data-annotation messages in the UI language. Validation attributes on input models name this type
/// (<c>ErrorMessageResourceType = typeof(ValidationText)</c>); each message is read in the current UI culture when it is
/// shown, so a Spanish circuit gets Spanish text. A test checks that no input model keeps the framework's English default.
/// </summary>
public static class ValidationText
{
    private static readonly ResourceManager Resources = new("HitlConsole.Resources.SharedResource", typeof(SharedResource).Assembly);

    private static string Get(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Required => Get("ValidationRequired");
    public static string Email => Get("ValidationEmail");
    public static string MinLength => Get("ValidationMinLength");
    public static string MaxLength => Get("ValidationMaxLength");
    public static string Range => Get("ValidationRange");
    public static string Choice => Get("ValidationChoice");
}
