namespace KonnectLive.Core.Common;

/// <summary>
/// The contact centre's own time zone: what "today" means on the live board and in reports, and how times
/// are shown. Stored times are UTC. (Per-dealership sending hours use each dealership's zone instead.)
/// </summary>
public static class ContactCentreTime
{
    public static readonly TimeZoneInfo Zone = Find("Europe/London");

    private static TimeZoneInfo Find(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}
