using MudBlazor;

namespace HitlConsole.Components.Layout;

public static class HitlTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f6f8b",
            Secondary = "#a84a2a",
            AppbarBackground = "#1f6f8b",
            Background = "#f6f8fa",
            // MudBlazor's status colours (#ff9800, #f44336, #4caf50, #2196f3) are 2.2–3.7:1 as text or under white text;
            // these keep each hue at WCAG AA (≥ 4.5:1) on white, on the page background and on a selected row: chips, alerts, counts.
            Warning = "#9a4a07",
            WarningDarken = "#7c3a05", // a warning alert's text, on the warning's own light tint
            Error = "#d32f2f",
            Success = "#2e7d32",
            Info = "#1565c0",
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
