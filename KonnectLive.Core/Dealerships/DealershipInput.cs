namespace KonnectLive.Core.Dealerships;

/// <summary>What an admin edits on a dealership (the form's model; the service validates it the same way).</summary>
public sealed class DealershipInput
{
    /// <summary>The manufacturer's dealer code, as FOCUS sends it; stored upper-case.</summary>
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>An IANA time zone id, e.g. Europe/London.</summary>
    public string TimeZone { get; set; } = "Europe/London";
    public TimeOnly SendFrom { get; set; } = new(9, 0);
    public TimeOnly SendUntil { get; set; } = new(20, 0);

    public static DealershipInput From(DealershipRow d) =>
        new() { Code = d.Code, Name = d.Name, TimeZone = d.TimeZone, SendFrom = d.SendFrom, SendUntil = d.SendUntil };
}

public sealed record DealershipRow(int Id, string Code, string Name, string TimeZone, TimeOnly SendFrom, TimeOnly SendUntil, int UserCount)
{
    public string SendingHours => SendingHoursText.Describe(SendFrom, SendUntil);
}

public enum DealershipSaveOutcome { Saved, Unchanged, Forbidden, Invalid, NotFound }

public sealed record DealershipSaveResult(DealershipSaveOutcome Outcome, string Message, IReadOnlyList<(string Property, string Error)> Errors, int? Id = null)
{
    public bool Succeeded => Outcome is DealershipSaveOutcome.Saved or DealershipSaveOutcome.Unchanged;
}

/// <summary>Sending hours in words, by the same rule the dispatcher applies (<see cref="Messaging.SendingWindow"/>).</summary>
public static class SendingHoursText
{
    public static string Describe(TimeOnly from, TimeOnly until) =>
        from == until ? "Any time (no restriction)"
        : from < until ? $"{from:HH\\:mm}–{until:HH\\:mm}"
        : $"{from:HH\\:mm}–{until:HH\\:mm} (across midnight)";
}
