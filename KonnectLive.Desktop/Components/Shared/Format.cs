namespace KonnectLive.Desktop.Components.Shared;

/// <summary>Dates as agents in the UK contact centre read them. Times are stored in UTC and shown in the centre's zone.</summary>
public static class Format
{
    public static System.DateTime Local(System.DateTime utc) => KonnectLive.Core.Common.ContactCentreTime.ToLocal(utc);
    public static string Date(System.DateTime utc) => Local(utc).ToString("dd MMM yyyy");
    public static string DateTime(System.DateTime utc) => Local(utc).ToString("dd MMM yyyy HH:mm");
    public static string Time(System.DateTime utc) => Local(utc).ToString("HH:mm:ss");
}
