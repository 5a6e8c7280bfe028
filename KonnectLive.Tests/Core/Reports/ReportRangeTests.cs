using KonnectLive.Core.Reports;

namespace KonnectLive.Tests.Core.Reports;

public sealed class ReportRangeTests
{
    [Fact]
    public void Bounds_WinterDays_AreMidnightUtc()
    {
        var range = new ReportRange(new DateOnly(2026, 2, 24), new DateOnly(2026, 3, 2));

        Assert.Equal(new DateTime(2026, 2, 24, 0, 0, 0, DateTimeKind.Utc), range.FromUtc);
        Assert.Equal(new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Utc), range.UntilUtc);
    }

    [Fact]
    public void Bounds_SummerDays_AreLondonMidnightOnBritishSummerTime()
    {
        var range = new ReportRange(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 1));

        Assert.Equal(new DateTime(2026, 5, 31, 23, 0, 0, DateTimeKind.Utc), range.FromUtc);
        Assert.Equal(new DateTime(2026, 6, 1, 23, 0, 0, DateTimeKind.Utc), range.UntilUtc);
    }

    [Fact]
    public void LastDays_LateEveningUtcInSummer_CountsTodayInLondon()
    {
        var range = ReportRange.LastDays(7, new DateTimeOffset(2026, 6, 1, 23, 30, 0, TimeSpan.Zero)); // 00:30 on 2 June in London

        Assert.Equal((new DateOnly(2026, 5, 27), new DateOnly(2026, 6, 2)), (range.From, range.To));
    }

    [Fact]
    public void Constructor_EndBeforeStart_Throws() =>
        Assert.Throws<ArgumentException>(() => new ReportRange(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 1)));
}
