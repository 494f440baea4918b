using System.Globalization;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Localization;

/// <summary>
/// Intents and knowledge categories are codes ("track_order", "SHIPPING_ADDRESS"): stable for filters, exports and the model.
/// People read a name: the UI language's name where the resources know the code (the 27 support intents and their
/// categories), otherwise the code made readable ("track_order" → "Track order"). Filters and exports keep the code.
/// </summary>
public static class IntentNames
{
    public static string Intent(string? code, IStringLocalizer l) => Name("Intent_", code, l);

    public static string Category(string? code, IStringLocalizer l) => Name("Category_", code, l);

    private static string Name(string prefix, string? code, IStringLocalizer l)
    {
        if (string.IsNullOrWhiteSpace(code)) return "—";
        var known = l[prefix + code];
        return known.ResourceNotFound ? Readable(code) : known.Value;
    }

    public static string Readable(string code)
    {
        var words = code.Replace('_', ' ').Replace('-', ' ').Trim().ToLowerInvariant();
        return words.Length == 0 ? code : char.ToUpper(words[0], CultureInfo.CurrentCulture) + words[1..];
    }
}
