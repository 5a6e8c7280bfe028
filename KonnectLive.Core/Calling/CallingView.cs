using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Calling;

public sealed record PhoneView(int Id, int Position, string Number, string Type, bool CallUnsubscribed, bool SmsUnsubscribed)
{
    public bool IsCallable => !CallUnsubscribed;
}

public sealed record OutcomeView(int Id, string Name, string Colour);

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
    IReadOnlyList<OutcomeView> Outcomes);

/// <summary>What the agent asks to unsubscribe on the matrix. Existing unsubscribes stay as they are.</summary>
public sealed record UnsubscribeRequest(IReadOnlyCollection<int> CallPhoneIds, IReadOnlyCollection<int> SmsPhoneIds, bool Email);

public sealed record RecordAttemptCommand(int RecordId, int OutcomeId, string? NumberDialled, DateTime StartedAt, string? Note);
