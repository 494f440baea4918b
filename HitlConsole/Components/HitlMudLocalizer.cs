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
            return arguments.Length > 0 && NumberedPlaceholder().IsMatch(text.Value) ? strings[key, arguments] : text;
        }
    }

    [GeneratedRegex(@"\{\d+")]
    private static partial Regex NumberedPlaceholder();
}
