using MudBlazor;

namespace HitlConsole.Components.Layout;

public static class HitlTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f6f8b",
            Secondary = "#e07a5f",
            AppbarBackground = "#1f6f8b",
            Background = "#f6f8fa",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#5fb3d1",
            Secondary = "#f2a28a",
            AppbarBackground = "#16232b",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
