using KonnectLive.Core.Customers;

namespace KonnectLive.Core.Telephony;

/// <summary>
/// A call and its legs as a pure function of the call's events. The events are put in the order they happened (time,
/// then the natural order of a call for events of the same instant), so the answer is the same however and however often
/// they arrived. The rules:
/// <list type="bullet">
/// <item><c>offered</c> opens the call; an outbound call offered with an agent is that agent dialling: their OUTBOUND leg
/// starts, not yet connected.</item>
/// <item><c>answered</c> by an agent connects their leg, or starts one (INBOUND or OUTBOUND, as the call goes).</item>
/// <item><c>transferred</c> to an agent ends every leg on the call and starts the new agent's TRANSFER leg.</item>
/// <item><c>conferenced</c> adds the agent's CONFERENCE leg; the others go on.</item>
/// <item><c>held</c>/<c>resumed</c> (of an agent, or of everyone on the call) add to the hold time.</item>
/// <item><c>ended</c> ends the call and every leg still going, with its reason; <c>recording</c> gives the call its recording.</item>
/// </list>
/// A connected leg lasts from its start to its end (hold included); a leg that never connected lasts 0 s.
/// </summary>
public static class CallLegBuilder
{
    public sealed record Agent(string? UserId, string? Name, int? DealershipId);

    public sealed record Result(
        CallDirection Direction, string? Ani, string? Dnis, string? Queue, string? Language,
        DateTime StartedAt, DateTime? AnsweredAt, DateTime? EndedAt, CallEndReason? EndReason, string? RecordingUrl,
        int? DealershipId, IReadOnlyList<CallLeg> Legs)
    {
        public string? CustomerNumber => Direction == CallDirection.Inbound ? Ani : Dnis;
        public string? CustomerDigits => CustomerNumber is { } n ? SearchKeys.Digits(n) : null;
    }

    private sealed class OpenLeg(CallLeg leg)
    {
        public CallLeg Leg { get; } = leg;
        public DateTime? HeldSince { get; set; }
    }

    /// <param name="events">Every event of one call, in any order, duplicates already removed.</param>
    /// <param name="agentOf">The agent an event names: the user (when the name or extension is one) and their dealership.</param>
    public static Result Build(IReadOnlyCollection<TelephonyEvent> events, Func<TelephonyEvent, Agent> agentOf)
    {
        if (events.Count == 0) throw new ArgumentException("A call needs at least one event.", nameof(events));
        var ordered = events.OrderBy(e => e.OccurredAt).ThenBy(e => (int)e.Type).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();

        var direction = ordered.FirstOrDefault(e => e.Direction is not null)?.Direction ?? CallDirection.Inbound;
        string? Latest(Func<TelephonyEvent, string?> field) => ordered.Select(field).LastOrDefault(v => !string.IsNullOrWhiteSpace(v));
        DateTime? answeredAt = null, endedAt = null;
        CallEndReason? endReason = null;
        string? recording = null;
        int? dealershipId = null;
        var legs = new List<CallLeg>();
        var open = new List<OpenLeg>();

        OpenLeg? OpenOf(Agent agent) => open.FirstOrDefault(o => Same(o.Leg, agent));

        void Start(TelephonyEvent e, Agent agent, CallLegType type, bool connected)
        {
            var leg = new CallLeg
            {
                Sequence = legs.Count + 1, Type = type, UserId = agent.UserId, Agent = agent.Name, DealershipId = agent.DealershipId,
                StartedAt = e.OccurredAt, Connected = connected,
            };
            legs.Add(leg);
            open.Add(new OpenLeg(leg));
            dealershipId ??= agent.DealershipId;
        }

        void End(OpenLeg o, DateTime at)
        {
            if (o.HeldSince is { } since) o.Leg.HoldSeconds += Seconds(since, at);
            o.HeldSince = null;
            o.Leg.EndedAt = at;
            o.Leg.DurationSeconds = o.Leg.Connected ? Seconds(o.Leg.StartedAt, at) : 0;
            open.Remove(o);
        }

        IEnumerable<OpenLeg> Targets(TelephonyEvent e) =>
            e.Agent is null ? open.ToList() : open.Where(o => Same(o.Leg, agentOf(e))).ToList();

        foreach (var e in ordered)
        {
            if (endedAt is not null && e.Type != CallEventType.Recording) continue; // nothing happens on a call after it ended
            switch (e.Type)
            {
                case CallEventType.Offered:
                    if (direction == CallDirection.Outbound && e.Agent is not null && OpenOf(agentOf(e)) is null)
                        Start(e, agentOf(e), CallLegType.Outbound, connected: false);
                    break;
                case CallEventType.Answered:
                {
                    var agent = agentOf(e);
                    answeredAt ??= e.OccurredAt;
                    if (OpenOf(agent) is { } existing)
                    {
                        if (!existing.Leg.Connected)
                        {
                            existing.Leg.Connected = true;
                            existing.Leg.StartedAt = e.OccurredAt; // talk time starts when the customer picks up
                        }
                    }
                    else Start(e, agent, direction == CallDirection.Inbound ? CallLegType.Inbound : CallLegType.Outbound, connected: true);
                    break;
                }
                case CallEventType.Transferred:
                {
                    var agent = agentOf(e);
                    if (OpenOf(agent) is not null) break; // transferred to someone already on it: nothing changes
                    foreach (var o in open.ToList()) End(o, e.OccurredAt);
                    answeredAt ??= e.OccurredAt;
                    Start(e, agent, CallLegType.Transfer, connected: true);
                    break;
                }
                case CallEventType.Conferenced:
                {
                    var agent = agentOf(e);
                    if (OpenOf(agent) is not null) break;
                    answeredAt ??= e.OccurredAt;
                    Start(e, agent, CallLegType.Conference, connected: true);
                    break;
                }
                case CallEventType.Held:
                    foreach (var o in Targets(e)) o.HeldSince ??= e.OccurredAt;
                    break;
                case CallEventType.Resumed:
                    foreach (var o in Targets(e))
                        if (o.HeldSince is { } since) { o.Leg.HoldSeconds += Seconds(since, e.OccurredAt); o.HeldSince = null; }
                    break;
                case CallEventType.Ended:
                    endedAt = e.OccurredAt;
                    endReason = e.EndReason ?? CallEndReason.Completed;
                    foreach (var o in open.ToList()) End(o, e.OccurredAt);
                    break;
                case CallEventType.Recording:
                    recording = e.RecordingUrl;
                    break;
            }
        }

        return new Result(direction, Latest(e => e.Ani), Latest(e => e.Dnis), Latest(e => e.Queue), Latest(e => e.Language),
            ordered[0].OccurredAt, answeredAt, endedAt, endReason, recording, dealershipId, legs);
    }

    private static bool Same(CallLeg leg, Agent agent) =>
        agent.UserId is not null ? leg.UserId == agent.UserId : leg.UserId is null && string.Equals(leg.Agent, agent.Name, StringComparison.OrdinalIgnoreCase);

    private static int Seconds(DateTime from, DateTime to) => Math.Max(0, (int)Math.Round((to - from).TotalSeconds));
}
