using System.Collections.Concurrent;

namespace KonnectLive.Core.Messaging;

/// <summary>A dealership's sending hours, in its own time zone.</summary>
public static class SendingWindow
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new();

    /// <summary>The zone by IANA id; an unknown id falls back to UTC rather than stopping every message.</summary>
    public static TimeZoneInfo Zone(string id) => Zones.GetOrAdd(id, static i =>
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(i); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
        catch (InvalidTimeZoneException) { return TimeZoneInfo.Utc; }
    });

    /// <summary>
    /// Null when <paramref name="utcNow"/> is inside the window; otherwise the UTC time the window next opens.
    /// From == Until means no restriction; From &gt; Until is a window across midnight (e.g. 20:00–02:00).
    /// </summary>
    public static DateTime? NextOpening(DateTime utcNow, TimeZoneInfo zone, TimeOnly from, TimeOnly until)
    {
        if (from == until) return null;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), zone);
        var t = TimeOnly.FromDateTime(local);
        var open = from < until ? t >= from && t < until : t >= from || t < until;
        if (open) return null;

        var opening = local.Date + from.ToTimeSpan();
        if (opening <= local) opening = opening.AddDays(1);
        // A spring-forward gap has no such local time: open when the clocks have gone forward.
        while (zone.IsInvalidTime(opening)) opening = opening.AddMinutes(30);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(opening, DateTimeKind.Unspecified), zone);
    }
}
