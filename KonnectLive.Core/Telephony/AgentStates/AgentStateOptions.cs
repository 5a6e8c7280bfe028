namespace KonnectLive.Core.Telephony.AgentStates;

/// <summary>
/// Settings of agent states read from appsettings.json (<c>AgentStates</c>). The maximum call time lives here rather than on
/// Configuration → Telephony because it is a safety net for a phone system that loses events, set once per installation.
/// </summary>
public sealed class AgentStateOptions
{
    public const string Section = "AgentStates";

    /// <summary>
    /// A call leg with no <c>ended</c> event this long after it began is taken as over (its end event was lost): it no longer
    /// keeps its agent On call, and an agent with no other call goes to Not ready · <see cref="AgentStateService.NoEndEventReason"/>.
    /// 0 turns the safety net off. Set it above the longest real call.
    /// </summary>
    public int MaxCallMinutes { get; set; } = 180;
}
