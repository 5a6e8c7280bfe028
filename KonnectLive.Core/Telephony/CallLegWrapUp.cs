using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Telephony;

/// <summary>
/// Links an outcome an agent records (a <see cref="CallAttempt"/>) to the call leg it wraps up. The rule, the same from
/// either side so it does not matter which arrives first: the leg is the recording agent's, for a call whose customer
/// number is one of the customer's numbers, that began before the outcome was recorded and was still going, or had
/// ended at most <see cref="AfterCallWindow"/> before (agents often finish the outcome after hanging up). The latest
/// such leg without a wrap-up wins; the first outcome recorded on a leg is its wrap-up.
/// </summary>
/// <remarks>
/// Matching by agent, number and time needs nothing from the page (no call id carried through the pop and the lock), so
/// it works however the agent reached the customer: the pop, the search, or the chase list.
/// </remarks>
public static class CallLegWrapUp
{
    /// <summary>How long after a leg ended an outcome recorded for that customer still wraps it up.</summary>
    public static readonly TimeSpan AfterCallWindow = TimeSpan.FromMinutes(30);

    /// <summary>From the outcome's side: called as the attempt is recorded, in its transaction. Saved by the caller.</summary>
    public static async Task<CallLeg?> AttachAttemptAsync(KonnectDbContext db, CallAttempt attempt, CancellationToken ct = default)
    {
        var digits = await CustomerDigitsAsync(db, attempt.CustomerId, ct);
        if (digits.Count == 0) return null;
        var endedSince = attempt.RecordedAt - AfterCallWindow;
        var leg = await db.CallLegs
            .Where(l => l.UserId == attempt.AgentId && l.CallAttemptId == null && l.StartedAt <= attempt.RecordedAt
                        && (l.EndedAt == null || l.EndedAt >= endedSince)
                        && l.Call.CustomerDigits != null && digits.Contains(l.Call.CustomerDigits))
            .OrderByDescending(l => l.StartedAt).ThenByDescending(l => l.Id)
            .FirstOrDefaultAsync(ct);
        if (leg is null) return null;
        leg.CallAttemptId = attempt.Id;
        attempt.CallType = CallTypeOf(leg.Type);
        return leg;
    }

    /// <summary>From the call's side: after a rebuild, each of the call's legs still without a wrap-up looks for its outcome.</summary>
    public static async Task AttachLegsAsync(KonnectDbContext db, TelephonyCall call, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(call.CustomerDigits)) return;
        foreach (var leg in call.Legs.Where(l => l.UserId is not null && l.CallAttemptId is null).OrderBy(l => l.Sequence))
        {
            var until = (leg.EndedAt ?? DateTime.MaxValue.AddDays(-1)) + AfterCallWindow;
            var claimed = call.Legs.Where(l => l.CallAttemptId is not null).Select(l => l.CallAttemptId!.Value).ToList();
            var digits = call.CustomerDigits;
            var attempt = await db.CallAttempts
                .Where(a => a.AgentId == leg.UserId && a.RecordedAt >= leg.StartedAt && a.RecordedAt <= until
                            && !claimed.Contains(a.Id)
                            && !db.CallLegs.Any(l => l.CallAttemptId == a.Id)
                            && db.CustomerPhones.Any(p => p.CustomerId == a.CustomerId && p.SearchDigits == digits))
                .OrderBy(a => a.RecordedAt).ThenBy(a => a.Id)
                .FirstOrDefaultAsync(ct);
            if (attempt is null) continue;
            leg.CallAttemptId = attempt.Id;
            attempt.CallType = CallTypeOf(leg.Type);
        }
    }

    public static CallType CallTypeOf(CallLegType type) => type switch
    {
        CallLegType.Inbound => CallType.Inbound,
        CallLegType.Transfer => CallType.Transfer,
        CallLegType.Conference => CallType.Conference,
        _ => CallType.Outbound,
    };

    private static Task<List<string>> CustomerDigitsAsync(KonnectDbContext db, int customerId, CancellationToken ct) =>
        db.CustomerPhones.Where(p => p.CustomerId == customerId && p.SearchDigits != null && p.SearchDigits != "")
            .Select(p => p.SearchDigits!).Distinct().ToListAsync(ct);
}
