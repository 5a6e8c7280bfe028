using KonnectLive.Desktop.Components.Layout;
using MudBlazor;
using MudBlazor.Utilities;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// Bar-chart options for counts: the y axis scaled to the data (MudBlazor's default tick spacing is 20, so a single call sat
/// on a 0–20 axis), whole-number labels, slanted x labels when they are long, and bars in the outcomes' own colours.
/// </summary>
public static class ChartScale
{
    private const double TargetTicks = 5;

    /// <summary>Options for bars of <paramref name="values"/>, labelled <paramref name="labels"/>, optionally in <paramref name="palette"/>.</summary>
    public static BarChartOptions ForCounts(IEnumerable<double> values, IReadOnlyCollection<string> labels, IReadOnlyList<string>? palette = null)
    {
        var max = values.DefaultIfEmpty(0).Max();
        var step = TickStep(max);
        var options = new BarChartOptions
        {
            YAxisTicks = step,
            MaxNumYAxisTicks = 10,
            YAxisSuggestedMax = step * Math.Max(1, Math.Ceiling(max / step)),
            YAxisFormat = "N0",
            // Long names (agents, decline reasons) overlap when written flat under the bars.
            XAxisLabelRotation = labels.Count > 3 && labels.Any(l => l.Length > 12) || labels.Any(l => l.Length > 24) ? 30 : 0,
        };
        if (palette is { Count: > 0 }) options.ChartPalette = [.. palette];
        return options;
    }

    /// <summary>A round spacing (1, 2, 5, 10, 20, 50 …) giving about five ticks up to <paramref name="max"/>; at least 1, counts being whole.</summary>
    public static int TickStep(double max)
    {
        var raw = max / TargetTicks;
        if (raw <= 1) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var residual = raw / magnitude;
        var nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
        return (int)(nice * magnitude);
    }

    /// <summary>
    /// The theme's colour for each outcome colour name (as Configuration → Outcomes stores it), in order; an outcome that
    /// shares its colour with an earlier one gets a lighter shade of it, so every bar of the legend can be told apart.
    /// </summary>
    public static IReadOnlyList<string> OutcomePalette(IEnumerable<string?> colourNames)
    {
        var used = new Dictionary<string, int>();
        var palette = new List<string>();
        foreach (var name in colourNames)
        {
            var hex = ThemeColour(name);
            var seen = used.GetValueOrDefault(hex);
            used[hex] = seen + 1;
            palette.Add(seen == 0 ? hex : new MudColor(hex).ColorLighten(Math.Min(0.45, 0.15 * seen)).ToString(MudColorOutputFormats.Hex));
        }
        return palette;
    }

    private static string ThemeColour(string? name)
    {
        var p = KonnectTheme.Theme.PaletteLight;
        MudColor colour = Enum.TryParse<Color>(name, ignoreCase: true, out var c) ? c switch
        {
            Color.Primary => p.Primary,
            Color.Secondary => p.Secondary,
            Color.Tertiary => p.Tertiary,
            Color.Info => p.Info,
            Color.Success => p.Success,
            Color.Warning => p.Warning,
            Color.Error => p.Error,
            Color.Dark => p.Dark,
            _ => "#616161", // Default: the grey a default button's outline has
        } : "#616161";
        return colour.ToString(MudColorOutputFormats.Hex);
    }
}
