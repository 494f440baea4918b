using Microsoft.Extensions.Localization;
using MudBlazor;

namespace HitlConsole.Components;

/// <summary>MudBlazor's own texts (pagers, grids) from Resources/MudBlazorStrings(.es).resx.</summary>
internal sealed class HitlMudLocalizer(IStringLocalizer<MudBlazorStrings> strings) : MudLocalizer
{
    public override LocalizedString this[string key] => strings[key];
}
