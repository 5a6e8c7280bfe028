namespace KonnectLive.Telephony.Simulator;

/// <summary>One call event as the simulator sends it; the call id, event id and time are filled in when it is sent.</summary>
public sealed record SimEvent(string Type, string? Agent = null, string? Direction = null, string? Ani = null, string? Dnis = null,
    string? Queue = null, string? Language = null, string? Reason = null, bool Recording = false);

/// <summary>Events that happen <paramref name="AtSecond"/> seconds into the call, sent together as one batch.</summary>
public sealed record SimStep(int AtSecond, IReadOnlyList<SimEvent> Events);

/// <summary>A realistic call, step by step, and the legs KonnectLive should build from it.</summary>
public sealed record Scenario(string Name, string Description, IReadOnlyList<SimStep> Steps, IReadOnlyList<ExpectedLeg> Legs, string EndReason)
{
    public int LengthSeconds => Steps[^1].AtSecond;
}

/// <summary>What the call's leg should be: INBOUND/OUTBOUND/TRANSFER/CONFERENCE, whose, how long.</summary>
public sealed record ExpectedLeg(string Type, string Agent, int DurationSeconds, bool Connected, int HoldSeconds = 0);

/// <summary>
/// The calls the simulator can make, against the demo data: <c>agent.north1</c> (extension 2001) and <c>agent.north2</c>
/// (2002) of Northgate, and 07700 900062, a Northgate demo customer.
/// </summary>
public static class Scenarios
{
    public const string KnownCustomer = "07700 900062";
    public const string UnknownNumber = "07700 900123";
    public const string CompanyNumber = "0113 496 0000";

    private static SimEvent Offered(string direction, string? agent, string ani, string dnis) =>
        new("offered", agent, direction, ani, dnis, "CSI", "en");

    /// <summary>A caller rings the CSI line, Nadia answers, puts them on hold for a moment, finishes; the call is recorded.</summary>
    public static readonly Scenario Inbound = new("inbound",
        $"Inbound call from {KnownCustomer} to agent.north1: answered, 15 s on hold, recorded, 2 min 24 s of talk.",
        [
            new(0, [Offered("inbound", "agent.north1", KnownCustomer, CompanyNumber)]),
            new(6, [new("answered", "agent.north1")]),
            new(40, [new("held", "agent.north1")]),
            new(55, [new("resumed", "agent.north1")]),
            new(150, [new("ended", Reason: "completed")]),
            new(152, [new("recording", Recording: true)]),
        ],
        [new("INBOUND", "agent.north1", 144, true, 15)], "completed");

    /// <summary>Nadia answers, then transfers the caller to Noah (agent.north2) by his extension.</summary>
    public static readonly Scenario Transfer = new("transfer",
        $"Inbound call from {KnownCustomer}: agent.north1 answers, transfers to extension 2002 (agent.north2) after 54 s.",
        [
            new(0, [Offered("inbound", "agent.north1", KnownCustomer, CompanyNumber)]),
            new(5, [new("answered", "agent.north1")]),
            new(59, [new("transferred", "2002")]),
            new(139, [new("ended", Reason: "completed")]),
        ],
        [new("INBOUND", "agent.north1", 54, true), new("TRANSFER", "agent.north2", 80, true)], "completed");

    /// <summary>A caller waits in the CSI queue and hangs up before anyone answers: a call with no legs.</summary>
    public static readonly Scenario Abandoned = new("abandoned",
        $"Inbound call from {UnknownNumber} waits 25 s in the CSI queue and hangs up.",
        [
            new(0, [Offered("inbound", null, UnknownNumber, CompanyNumber)]),
            new(25, [new("ended", Reason: "abandoned")]),
        ],
        [], "abandoned");

    /// <summary>Nadia dials a customer who does not pick up.</summary>
    public static readonly Scenario OutboundNoAnswer = new("outbound-no-answer",
        $"agent.north1 dials {KnownCustomer}; nobody answers in 30 s.",
        [
            new(0, [Offered("outbound", "agent.north1", CompanyNumber, KnownCustomer)]),
            new(30, [new("ended", Reason: "no_answer")]),
        ],
        [new("OUTBOUND", "agent.north1", 0, false)], "no_answer");

    public static readonly IReadOnlyList<Scenario> All = [Inbound, Transfer, Abandoned, OutboundNoAnswer];

    public static Scenario? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
