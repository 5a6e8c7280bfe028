namespace KonnectLive.Core.Settings;

/// <summary>
/// The names (seed 000, exactly) and descriptions of the six CSI settings, shared by the settings page,
/// the validator's messages and the audit trail so they all say the same thing.
/// </summary>
public static class CsiSettingDefinitions
{
    public const int MaxDelayMinutes = 43_200; // 30 days
    public const int MinCutOffDays = 1;
    public const int MaxCutOffDays = 3_650;
    public const int MinThreshold = 0;
    public const int MaxThreshold = 10;
    public const int MinUndoMinutes = 0;
    public const int MaxUndoMinutes = 60;

    public const string AwaitingTemplate = "CSI Awaiting State Message Contact Template";
    public const string AwaitingDelay = "CSI Awaiting State Message Delay";
    public const string FocusMatchCutOffDays = "CSI Focus Match Cut Off Days";
    public const string PendingTemplate = "CSI Pending State Message Contact Template";
    public const string PendingDelay = "CSI Pending State Message Delay";
    public const string PositiveResponseThreshold = "CSI Positive Response Threshold";
    public const string UndoMinutes = "CSI Undo Outcome Minutes";
    public const string UndoMinutesDescription =
        "For how many minutes after recording a call's outcome the agent who recorded it (or a supervisor) may undo it, from the " +
        "snackbar or the customer's history. 0 turns undo off; at most 60.";

    public const string AwaitingTemplateDescription =
        "The SMS or email sent to the customer when FOCUS marks their survey Awaiting (the customer then appears on the chase list). " +
        "Choose \"No message\" to send nothing.";
    public const string AwaitingDelayDescription =
        "How long after the Awaiting status arrives the Awaiting message is sent: 0 sends it straight away, at most 30 days. " +
        "If the survey is completed, rejected or expires first, the message is not sent.";
    public const string FocusMatchCutOffDaysDescription =
        "Records whose sale or service event date is more than this many days ago are stored and audited but not processed: " +
        "no message is queued and the customer is not put on the chase list. Between 1 and 3,650 days.";
    public const string PendingTemplateDescription =
        "The SMS or email sent when FOCUS marks a survey Pending, only to customers whose score is at least the " +
        PositiveResponseThreshold + ". Pending customers are not called. Choose \"No message\" to send nothing.";
    public const string PendingDelayDescription =
        "How long after the Pending status arrives the Pending message is sent: 0 sends it straight away, at most 30 days.";
    public const string PositiveResponseThresholdDescription =
        "The minimum survey score (0 to 10) a Pending customer must have given to be sent the Pending message. " +
        "Customers who scored lower get no message.";

    /// <summary>"1 h 30 min", "2 days 3 h", "0 min (straight away)".</summary>
    public static string DescribeDelay(int minutes)
    {
        if (minutes <= 0) return "straight away";
        var span = TimeSpan.FromMinutes(minutes);
        var parts = new List<string>(3);
        if (span.Days > 0) parts.Add(span.Days == 1 ? "1 day" : $"{span.Days} days");
        if (span.Hours > 0) parts.Add($"{span.Hours} h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes} min");
        return string.Join(" ", parts);
    }
}
