using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace HitlConsole.Components;

/// <summary>MudBlazor's own texts (pagers, grids) from Resources/MudBlazorStrings(.es).resx.</summary>
internal sealed partial class HitlMudLocalizer(IStringLocalizer<MudBlazorStrings> strings) : MudLocalizer
{
    public override LocalizedString this[string key] => strings[key];

    // Some texts hold named tokens such as {first_item} that MudBlazor replaces itself; only
    // texts with numbered placeholders are formatted with the arguments.
    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            var text = strings[key];
            return arguments.Length > 0 && NumberedPlaceholder().IsMatch(text.Value) ? strings[key, arguments] : text;
        }
    }

    [GeneratedRegex(@"\{\d+")]
    private static partial Regex NumberedPlaceholder();
}
