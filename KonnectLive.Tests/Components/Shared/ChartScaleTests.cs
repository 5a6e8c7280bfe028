using KonnectLive.Desktop.Components.Shared;

namespace KonnectLive.Tests.Components.Shared;

public sealed class ChartScaleTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(7, 2)]
    [InlineData(20, 5)]
    [InlineData(48, 10)]
    [InlineData(230, 50)]
    [InlineData(4_000, 1_000)]
    public void TickStep_Max_RoundStepOfAboutFiveTicks(double max, int expected) => Assert.Equal(expected, ChartScale.TickStep(max));

    [Fact]
    public void ForCounts_OneCall_AxisUpToOneInWholeNumbers_NotZeroToTwenty()
    {
        var options = ChartScale.ForCounts([1], ["Nadia North"]);

        Assert.Equal((1, 1.0, "N0", 0), (options.YAxisTicks, options.YAxisSuggestedMax, options.YAxisFormat, options.XAxisLabelRotation));
    }

    [Fact]
    public void ForCounts_ManyLongLabels_SlantsThem()
    {
        var options = ChartScale.ForCounts([3, 9, 12, 1], ["Does not take part in surveys", "No time", "Unhappy with the vehicle", "Other"]);

        Assert.Equal((5, 15.0, 30), (options.YAxisTicks, options.YAxisSuggestedMax, options.XAxisLabelRotation));
    }

    [Fact]
    public void OutcomePalette_OutcomeColours_ThemeHexes_ASharedColourGetsALighterShade()
    {
        var palette = ChartScale.OutcomePalette(["Success", "Default", "Default", "Warning", "Nonsense"]);

        Assert.Equal("#2e7d32", palette[0]); // the theme's accessible green, as on the outcome's button
        Assert.Equal("#616161", palette[1]);
        Assert.NotEqual(palette[1], palette[2]);
        Assert.Equal("#b45309", palette[3]);
        Assert.NotEqual(palette[1], palette[4]); // an unknown colour is grey too, but told apart from the other greys
    }
}
