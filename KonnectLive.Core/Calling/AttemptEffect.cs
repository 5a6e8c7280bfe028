using KonnectLive.Core.Common;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore.Query;

namespace KonnectLive.Core.Calling;

/// <summary>
/// Where a recorded outcome leaves the record on the chase list. Every outcome writes every one of these columns, so
/// the latest outcome alone decides: an earlier call-back, reservation or end of chase never lingers.
/// </summary>
internal sealed record AttemptEffect(
    DateTime ChaseKey,
    DateTime? CallbackDueAt = null,
    string? CallbackAgentId = null,
    string? CallbackAgentName = null,
    DateTime? ReservedUntil = null,
    DateTime? ChaseEndedAt = null,
    string? ChaseEndedReason = null)
{
    /// <summary>Off the list: chased no more, or until a call-back falls due.</summary>
    public bool LeavesChaseList => ChaseEndedAt is not null || CallbackDueAt is not null;

    public static AttemptEffect StaysOnList(DateTime now) => new(now);

    public static AttemptEffect EndsChase(DateTime now, string reason) =>
        new(SurveyRecord.ChaseEndedKey(now), ChaseEndedAt: now, ChaseEndedReason: reason.Length <= 200 ? reason : reason[..200]);

    public static AttemptEffect CallBack(DateTime dueUtc, string? reservedForId, string bookedBy, DateTime? reservedUntil) =>
        new(SurveyRecord.CallbackKey(dueUtc), dueUtc, reservedForId, bookedBy, reservedUntil);

    public void Apply(UpdateSettersBuilder<SurveyRecord> s) => s
        .SetProperty(r => r.ChaseKey, ChaseKey)
        .SetProperty(r => r.CallbackDueAt, CallbackDueAt)
        .SetProperty(r => r.CallbackAgentId, CallbackAgentId)
        .SetProperty(r => r.CallbackAgentName, CallbackAgentName)
        .SetProperty(r => r.ReservedUntil, ReservedUntil)
        .SetProperty(r => r.ChaseEndedAt, ChaseEndedAt)
        .SetProperty(r => r.ChaseEndedReason, ChaseEndedReason);
}
