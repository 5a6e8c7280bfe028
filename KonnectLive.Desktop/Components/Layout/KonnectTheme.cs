using MudBlazor;

namespace KonnectLive.Desktop.Components.Layout;

public static class KonnectTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            // Every colour an outcome or a chip may use reads at 4.5:1 or better on white (WCAG AA for text);
            // MudBlazor's default warning orange (2.2:1) and info blue (3.1:1) do not.
            Primary = "#1f4e79",
            Secondary = "#00796b",
            AppbarBackground = "#1f4e79",
            Success = "#2e7d32",
            Error = "#c62828",
            Warning = "#b45309",
            Info = "#0b69a3",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
