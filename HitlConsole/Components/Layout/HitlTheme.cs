using MudBlazor;

namespace HitlConsole.Components.Layout;

public static class HitlTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f6f8b",
            // Counts and neutral highlights: a hue of its own, so that "waiting" never reads as the warning or the error.
            Secondary = "#6a4c93",
            AppbarBackground = "#1f6f8b",
            Background = "#f6f8fa",
            TextSecondary = "#5f6368",
            // MudBlazor's status colours (#ff9800, #f44336, #4caf50, #2196f3) are 2.2–3.7:1 as text or under white text;
            // these keep each hue at WCAG AA (≥ 4.5:1) on white, on the page background and on a selected row: chips, alerts, counts.
            Warning = "#9a4a07",
            WarningDarken = "#7c3a05", // a warning alert's text, on the warning's own light tint
            Error = "#d32f2f",
            Success = "#2e7d32",
            Info = "#1565c0",
        },
        // On a dark page the colours are light, so the text on a filled chip or button is dark ("…ContrastText"), and an
        // alert's text ("…Darken" in MudBlazor's styles) is lighter still.
        PaletteDark = new PaletteDark
        {
            Primary = "#5fb3d1",
            PrimaryContrastText = "#0b1f27",
            Secondary = "#b39ddb",
            SecondaryContrastText = "#1a1226",
            AppbarBackground = "#16232b",
            // MudBlazor's 50 % white was 3.3–4.2:1 on the dark surfaces (previews, labels, "unassigned"); 70 % is above 4.5:1.
            TextSecondary = "rgba(255,255,255,0.70)",
            Warning = "#ffb74d",
            WarningContrastText = "#1f1300",
            WarningDarken = "#ffd59a",
            Error = "#ef9a9a",
            ErrorContrastText = "#2a0a0a",
            ErrorDarken = "#ffcdd2",
            Success = "#81c784",
            SuccessContrastText = "#0b1f0c",
            Info = "#64b5f6",
            InfoContrastText = "#061a2b",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
