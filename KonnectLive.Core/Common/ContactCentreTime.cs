namespace KonnectLive.Core.Common;

/// <summary>
/// The contact centre's own time zone: what "today" means on the live board and in reports, and how times
/// are shown. Stored times are UTC. (Per-dealership sending hours use each dealership's zone instead.)
/// </summary>
public static class ContactCentreTime
{
    public static readonly TimeZoneInfo Zone = Find("Europe/London");

    private static readonly System.Globalization.CultureInfo EnGb = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    /// <summary>A stored UTC time on the contact centre's clock.</summary>
    public static DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>Day and time as agents read them, e.g. "Tue 24 Nov 15:30".</summary>
    public static string DayAndTime(DateTime utc) => ToLocal(utc).ToString("ddd d MMM HH:mm", EnGb);

    /// <summary>Just "15:30" when it falls on the same local day as <paramref name="sameDayAs"/> (UTC), else the day too.</summary>
    public static string Clock(DateTime utc, DateTime? sameDayAs = null) =>
        sameDayAs is { } other && ToLocal(other).Date != ToLocal(utc).Date ? DayAndTime(utc) : ToLocal(utc).ToString("HH:mm", EnGb);

    /// <summary>Midnight at the start of a UK calendar day, in UTC (the clocks-change days are 23 or 25 hours long).</summary>
    public static DateTime StartOfDayUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), Zone);

    /// <summary>The same for a date picker's value (only its date counts); null stays null.</summary>
    public static DateTime? StartOfDayUtc(DateTime? localDate) =>
        localDate is { } d ? StartOfDayUtc(DateOnly.FromDateTime(d)) : null;

    private static TimeZoneInfo Find(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}
