using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Calling;

public sealed record PhoneView(int Id, int Position, string Number, string Type, bool CallUnsubscribed, bool SmsUnsubscribed,
    bool WrongNumber = false)
{
    public bool IsCallable => !CallUnsubscribed && !WrongNumber;
}

public sealed record OutcomeView(int Id, string Name, string Colour,
    OutcomeCategory Category = OutcomeCategory.NotReached,
    OutcomeBehaviour Behaviour = OutcomeBehaviour.KeepOnList,
    bool RequiresNote = false,
    int CallbackReserveMinutes = 0);

/// <param name="IsProposal">The agent's own proposal, not yet approved by an admin (only they are offered it).</param>
public sealed record DeclineReasonView(int Id, string Name, bool IsProposal = false);

/// <summary>
/// The calling page's short process summary: where the record stands in the chase, the last outcome and the notes.
/// </summary>
public sealed record ProcessSummary(
    int AttemptCount,
    string? LastOutcome,
    DateTime? LastOutcomeAt,
    string? LastOutcomeBy,
    DateTime? CallbackDueAt,
    string? CallbackAgentName,
    DateTime? ReservedUntil,
    DateTime? ChaseEndedAt,
    string? ChaseEndedReason,
    int NoteCount,
    string? LatestNote,
    DateTime? LatestNoteAt,
    string? LatestNoteBy);

/// <summary>Everything the calling page shows about one survey record.</summary>
public sealed record CallingView(
    int RecordId,
    string FocusRecordId,
    int CustomerId,
    string CustomerName,
    int DealershipId,
    string DealershipName,
    string? Registration,
    string? VehicleDescription,
    string? Vin,
    SurveyStatus Status,
    int? Score,
    EventType EventType,
    DateTime EventDate,
    int AttemptCount,
    DateTime? LastAttemptAt,
    string? Email,
    bool EmailUnsubscribed,
    IReadOnlyList<PhoneView> Phones,
    IReadOnlyList<OutcomeView> Outcomes,
    ProcessSummary? Summary = null);

/// <summary>What the agent asks to unsubscribe on the matrix. Existing unsubscribes stay as they are.</summary>
public sealed record UnsubscribeRequest(IReadOnlyCollection<int> CallPhoneIds, IReadOnlyCollection<int> SmsPhoneIds, bool Email);

/// <param name="CallbackAt">Call back later: when (UTC). Required by that behaviour, ignored by the others.</param>
/// <param name="DeclineReasonId">Customer declined: the reason. Required by that behaviour, ignored by the others.</param>
/// <param name="ReserveCallback">Call back later: keep the call-back for this agent, when the outcome allows reserving.</param>
/// <param name="PageToken">The calling page's lock token: its lease is given back with the call. Null: a page that holds nothing.</param>
public sealed record RecordAttemptCommand(int RecordId, int OutcomeId, string? NumberDialled, DateTime StartedAt, string? Note,
    DateTime? CallbackAt = null, int? DeclineReasonId = null, bool ReserveCallback = true, string? PageToken = null);

/// <summary>
/// What recording an outcome did, in words for the agent: whether the record left the chase list, and whether the outcome
/// moved it at all (false when FOCUS had closed the survey or another agent had the customer: the call is recorded all the same).
/// </summary>
/// <param name="AttemptId">The call recorded: what Undo names.</param>
public sealed record AttemptResult(string Message, bool LeftChaseList, bool ChaseUpdated = true, long AttemptId = 0);

/// <summary>Moving through the chase list from the calling page. First is the top free customer (possibly the current one).</summary>
public enum ChaseDirection { Previous, Next, First }
