using KonnectLive.Core.Messaging;

namespace KonnectLive.Tests.Core.Messaging;

public sealed class SendingWindowTests
{
    private static readonly TimeZoneInfo London = SendingWindow.Zone("Europe/London");
    private static readonly TimeOnly Nine = new(9, 0), Eight = new(20, 0);

    private static DateTime Utc(string s) => DateTime.SpecifyKind(DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    [Theory]
    // Winter (GMT = UTC)
    [InlineData("2026-01-15 09:00", null)]
    [InlineData("2026-01-15 19:59", null)]
    [InlineData("2026-01-15 20:00", "2026-01-16 09:00")]
    [InlineData("2026-01-15 03:00", "2026-01-15 09:00")]
    [InlineData("2026-01-15 08:59", "2026-01-15 09:00")]
    // Summer (BST = UTC+1): 09:00 local is 08:00 UTC
    [InlineData("2026-06-15 07:30", "2026-06-15 08:00")]
    [InlineData("2026-06-15 08:00", null)]
    [InlineData("2026-06-15 19:00", "2026-06-16 08:00")]
    // Across the spring change (29 March 2026): 22:00 GMT on the 28th opens at 09:00 BST = 08:00 UTC on the 29th
    [InlineData("2026-03-28 22:00", "2026-03-29 08:00")]
    public void NextOpening_LondonNineToEight_NullInsideOrNextOpeningUtc(string nowUtc, string? expectedUtc)
    {
        var opening = SendingWindow.NextOpening(Utc(nowUtc), London, Nine, Eight);

        Assert.Equal(expectedUtc is null ? null : Utc(expectedUtc), opening);
    }

    [Fact]
    public void NextOpening_OtherZone_UsesThatZone()
    {
        var sydney = SendingWindow.Zone("Australia/Sydney"); // UTC+11 in January
        Assert.Null(SendingWindow.NextOpening(Utc("2026-01-15 00:00"), sydney, Nine, Eight)); // 11:00 local
        Assert.Equal(Utc("2026-01-15 22:00"), SendingWindow.NextOpening(Utc("2026-01-15 10:00"), sydney, Nine, Eight)); // 21:00 local
    }

    [Theory]
    [InlineData("2026-01-15 21:00", null)]
    [InlineData("2026-01-15 01:59", null)]
    [InlineData("2026-01-15 02:00", "2026-01-15 20:00")]
    public void NextOpening_WindowAcrossMidnight_Handled(string nowUtc, string? expectedUtc) =>
        Assert.Equal(expectedUtc is null ? null : Utc(expectedUtc), SendingWindow.NextOpening(Utc(nowUtc), London, new TimeOnly(20, 0), new TimeOnly(2, 0)));

    [Fact]
    public void NextOpening_FromEqualsUntil_AlwaysOpen() =>
        Assert.Null(SendingWindow.NextOpening(Utc("2026-01-15 03:00"), London, TimeOnly.MinValue, TimeOnly.MinValue));

    [Fact]
    public void Zone_UnknownId_FallsBackToUtc() => Assert.Equal(TimeZoneInfo.Utc, SendingWindow.Zone("Mars/Olympus_Mons"));
}
