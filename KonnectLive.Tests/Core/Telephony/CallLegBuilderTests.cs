using KonnectLive.Core.Telephony;

namespace KonnectLive.Tests.Core.Telephony;

/// <summary>Event sequences → the exact legs, types and durations an agent's history will show.</summary>
public sealed class CallLegBuilderTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
    private static int _n;

    private static TelephonyEvent E(CallEventType type, int second, string? agent = null, CallDirection? direction = null,
        CallEndReason? reason = null, string? ani = null, string? dnis = null, string? url = null) => new()
    {
        EventId = $"e{Interlocked.Increment(ref _n)}", CallId = "c-1", Type = type, OccurredAt = T0.AddSeconds(second), Agent = agent,
        Direction = direction, EndReason = reason, Ani = ani, Dnis = dnis, RecordingUrl = url,
    };

    /// <summary>Agents a, b, c are users of dealership 7; anyone else is a name the phone system knows and KonnectLive does not.</summary>
    private static CallLegBuilder.Agent AgentOf(TelephonyEvent e) =>
        e.Agent is "a" or "b" or "c" ? new(e.Agent.ToUpperInvariant() + "-id", e.Agent, 7) : new(null, e.Agent, null);

    private static string Legs(CallLegBuilder.Result r) =>
        string.Join(" | ", r.Legs.Select(l => $"{l.Sequence} {l.Type} {l.Agent} +{(l.StartedAt - T0).TotalSeconds}s {l.DurationSeconds}s hold {l.HoldSeconds}s {(l.Connected ? "connected" : "not connected")}"));

    [Fact]
    public void InboundAnsweredThenTransferredThenConferenced_ThreeLegsWithTheirOwnStartsAndDurations()
    {
        var result = CallLegBuilder.Build(
        [
            E(CallEventType.Offered, 0, direction: CallDirection.Inbound, ani: "07700 900123", dnis: "0113 496 0000"),
            E(CallEventType.Answered, 10, "a"),
            E(CallEventType.Transferred, 70, "b"),
            E(CallEventType.Conferenced, 130, "c"),
            E(CallEventType.Ended, 190, reason: CallEndReason.Completed),
        ], AgentOf);

        Assert.Equal("1 Inbound a +10s 60s hold 0s connected | 2 Transfer b +70s 120s hold 0s connected | 3 Conference c +130s 60s hold 0s connected", Legs(result));
        Assert.Equal((CallDirection.Inbound, "07700 900123", T0.AddSeconds(10), T0.AddSeconds(190), CallEndReason.Completed, 7),
            (result.Direction, result.CustomerNumber, result.AnsweredAt, result.EndedAt, result.EndReason, result.DealershipId));
        Assert.Equal("7700900123", result.CustomerDigits); // the search key: national digits, as customers' numbers are kept
        Assert.Equal(["A-id", "B-id", "C-id"], result.Legs.Select(l => l.UserId));
    }

    [Fact]
    public void AbandonedInQueue_NoAgentLeg_TheCallEndsAbandonedUnanswered()
    {
        var result = CallLegBuilder.Build(
        [
            E(CallEventType.Offered, 0, direction: CallDirection.Inbound, ani: "07700 900456"),
            E(CallEventType.Ended, 45, reason: CallEndReason.Abandoned),
        ], AgentOf);

        Assert.Empty(result.Legs);
        Assert.Equal((null, T0.AddSeconds(45), CallEndReason.Abandoned, (int?)null), (result.AnsweredAt, result.EndedAt, result.EndReason, result.DealershipId));
    }

    [Fact]
    public void OutboundNoAnswer_OneOutboundLegThatNeverConnected_LastsZero()
    {
        var result = CallLegBuilder.Build(
        [
            E(CallEventType.Offered, 0, "a", CallDirection.Outbound, dnis: "07700 900789"),
            E(CallEventType.Ended, 30, reason: CallEndReason.NoAnswer),
        ], AgentOf);

        Assert.Equal("1 Outbound a +0s 0s hold 0s not connected", Legs(result));
        Assert.Equal(("07700 900789", CallEndReason.NoAnswer, (DateTime?)null), (result.CustomerNumber, result.EndReason, result.AnsweredAt));
    }

    [Fact]
    public void OutboundAnswered_TalkTimeStartsWhenTheCustomerPicksUp()
    {
        var result = CallLegBuilder.Build(
        [
            E(CallEventType.Offered, 0, "a", CallDirection.Outbound, dnis: "07700 900789"),
            E(CallEventType.Answered, 12, "a"),
            E(CallEventType.Ended, 100, reason: CallEndReason.Completed),
        ], AgentOf);

        Assert.Equal("1 Outbound a +12s 88s hold 0s connected", Legs(result));
    }

    [Fact]
    public void HeldAndResumed_HoldTimeCountedInsideTheDuration()
    {
        var result = CallLegBuilder.Build(
        [
            E(CallEventType.Offered, 0, direction: CallDirection.Inbound),
            E(CallEventType.Answered, 5, "a"),
            E(CallEventType.Held, 20, "a"),
            E(CallEventType.Resumed, 50, "a"),
            E(CallEventType.Held, 60),
            E(CallEventType.Ended, 65, reason: CallEndReason.Completed), // still on hold when the call ended
        ], AgentOf);

        Assert.Equal("1 Inbound a +5s 60s hold 35s connected", Legs(result));
    }

    [Fact]
    public void DuplicatesAndAnyArrivalOrder_TheSameLegs()
    {
        List<TelephonyEvent> events =
        [
            E(CallEventType.Offered, 0, direction: CallDirection.Inbound, ani: "07700 900123"),
            E(CallEventType.Answered, 10, "a"),
            E(CallEventType.Recording, 11, url: "https://pbx.example/rec/1"),
            E(CallEventType.Transferred, 70, "b"),
            E(CallEventType.Ended, 100, reason: CallEndReason.Completed),
        ];
        var expected = Legs(CallLegBuilder.Build(events, AgentOf));
        var random = new Random(7);
        for (var i = 0; i < 20; i++)
        {
            var shuffled = events.OrderBy(_ => random.Next()).ToList();
            var result = CallLegBuilder.Build(shuffled, AgentOf);
            Assert.Equal(expected, Legs(result));
            Assert.Equal("https://pbx.example/rec/1", result.RecordingUrl);
        }
        Assert.Equal("1 Inbound a +10s 60s hold 0s connected | 2 Transfer b +70s 30s hold 0s connected", expected);
    }

    [Fact]
    public void UnknownAgentName_LegKeptUnderTheNameWithoutAUser()
    {
        var result = CallLegBuilder.Build(
        [
            E(CallEventType.Offered, 0, direction: CallDirection.Inbound),
            E(CallEventType.Answered, 3, "ext-9999"),
            E(CallEventType.Ended, 33, reason: CallEndReason.Completed),
        ], AgentOf);

        var leg = Assert.Single(result.Legs);
        Assert.Equal((null, "ext-9999", 30, (int?)null), (leg.UserId, leg.Agent, leg.DurationSeconds, leg.DealershipId));
    }

    [Fact]
    public void EventsAfterTheEnd_ChangeNothingButTheRecording()
    {
        var result = CallLegBuilder.Build(
        [
            E(CallEventType.Offered, 0, direction: CallDirection.Inbound),
            E(CallEventType.Answered, 5, "a"),
            E(CallEventType.Ended, 65, reason: CallEndReason.Completed),
            E(CallEventType.Conferenced, 70, "b"),
            E(CallEventType.Recording, 80, url: "https://pbx.example/rec/2"),
        ], AgentOf);

        Assert.Equal("1 Inbound a +5s 60s hold 0s connected", Legs(result));
        Assert.Equal("https://pbx.example/rec/2", result.RecordingUrl);
    }
}
