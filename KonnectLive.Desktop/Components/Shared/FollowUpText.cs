using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>The words and times the calling page and the chase list use for the follow-up process.</summary>
public static class FollowUpText
{
    /// <summary>One plain line saying what recording an outcome will do to the customer's place in the chase.</summary>
    public static string Describe(OutcomeBehaviour behaviour) => behaviour switch
    {
        OutcomeBehaviour.KeepOnList => "Stays on the chase list.",
        OutcomeBehaviour.TakeOffList => "Takes the customer off the chase list.",
        OutcomeBehaviour.CallBackLater => "Leaves the list until the call-back time, then returns at the top.",
        OutcomeBehaviour.CustomerDeclined => "Takes the customer off the list and records the reason.",
        OutcomeBehaviour.WrongNumber => "Marks the number dialled as wrong; the customer stays on the list if another number remains, "
                                        + "otherwise they are sent the next contact method (SMS, then email).",
        _ => "",
    };

    /// <summary>A UTC time in the contact centre's zone: "14:30" today, "Tue 3 Jun 14:30" on another day.</summary>
    public static string When(DateTime utc, DateTime nowUtc) => ContactCentreTime.Clock(utc, nowUtc);

    /// <summary>A date and time the agent picked on the UK clock, in UTC; null when that clock time does not exist (clocks going forward).</summary>
    public static DateTime? ToUtc(DateTime localDate, TimeSpan localTime)
    {
        var local = DateTime.SpecifyKind(localDate.Date + localTime, DateTimeKind.Unspecified);
        if (ContactCentreTime.Zone.IsInvalidTime(local)) return null;
        return TimeZoneInfo.ConvertTimeToUtc(local, ContactCentreTime.Zone);
    }
}
