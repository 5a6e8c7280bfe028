namespace KonnectLive.Core.Reports;

/// <summary>
/// A range of whole days in the contact centre's zone (Europe/London), both ends included. Attempts and records are
/// stored in UTC, so a report filters on <see cref="FromUtc"/> (inclusive) to <see cref="UntilUtc"/> (exclusive).
/// </summary>
public sealed record ReportRange
{
    private static readonly TimeZoneInfo London = KonnectLive.Core.Common.ContactCentreTime.Zone;

    public ReportRange(DateOnly from, DateOnly to)
    {
        if (to < from) throw new ArgumentException("The range ends before it starts.", nameof(to));
        From = from;
        To = to;
    }

    public DateOnly From { get; }
    public DateOnly To { get; }

    /// <summary>Midnight in London at the start of <see cref="From"/>, in UTC.</summary>
    public DateTime FromUtc => StartOf(From);

    /// <summary>Midnight in London after <see cref="To"/>, in UTC (days are 23 or 25 hours when the clocks change).</summary>
    public DateTime UntilUtc => StartOf(To.AddDays(1));

    /// <summary>The last <paramref name="days"/> London days, today included.</summary>
    public static ReportRange LastDays(int days, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, London).DateTime);
        return new ReportRange(today.AddDays(1 - days), today);
    }

    public override string ToString() => From == To ? $"{From:yyyy-MM-dd}" : $"{From:yyyy-MM-dd} to {To:yyyy-MM-dd}";

    private static DateTime StartOf(DateOnly day) => KonnectLive.Core.Common.ContactCentreTime.StartOfDayUtc(day);
}
