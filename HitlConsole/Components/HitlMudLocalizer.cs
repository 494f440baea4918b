using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace HitlConsole.Components;

/// <summary>MudBlazor's own texts (pagers, grids) from Resources/MudBlazorStrings(.es).resx.</summary>
internal sealed partial class HitlMudLocalizer(IStringLocalizer<MudBlazorStrings> strings) : MudLocalizer
{
    public override LocalizedString this[string key] => strings[key];

    // Every text uses numbered placeholders as MudBlazor's own resources do ({0}–{1} of {2}); a text
    // without any is returned as is, whatever MudBlazor passes.
    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            var text = strings[key];
            return arguments.Length > 0 && NumberedPlaceholder().IsMatch(text.Value) ? strings[key, [.. arguments.Select(InUiNumbers)]] : text;
        }
    }

    /// <summary>
    /// A count as the UI language writes it: MudBlazor hands the pager's numbers over already grouped the English way
    /// ("3,661"), which a Spanish page showed as is.
    /// </summary>
    private static object InUiNumbers(object argument) => argument switch
    {
        int or long => ((IFormattable)argument).ToString("N0", CultureInfo.CurrentCulture),
        string s when GroupedInteger().IsMatch(s) => long.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.CurrentCulture),
        _ => argument,
    };

    [GeneratedRegex(@"^\d{1,3}(,\d{3})*$")]
    private static partial Regex GroupedInteger();

    [GeneratedRegex(@"\{\d+")]
    private static partial Regex NumberedPlaceholder();
}
