namespace KonnectLive.Desktop.Components.Shared;

/// <summary>Dates as agents in the UK contact centre read them. Times are stored in UTC and shown in the centre's zone.</summary>
public static class Format
{
    private static readonly TimeZoneInfo Zone = KonnectLive.Core.Common.ContactCentreTime.Zone;

    public static System.DateTime Local(System.DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);
    public static string Date(System.DateTime utc) => Local(utc).ToString("dd MMM yyyy");
    public static string DateTime(System.DateTime utc) => Local(utc).ToString("dd MMM yyyy HH:mm");
    public static string Time(System.DateTime utc) => Local(utc).ToString("HH:mm:ss");
}
