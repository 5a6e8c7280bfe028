using KonnectLive.Core.Calling;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Customers.Profile;

/// <summary>Everything the customer page shows about one customer.</summary>
public sealed record CustomerProfile(
    int Id,
    int DealershipId,
    string DealershipName,
    string? Title,
    string FirstName,
    string LastName,
    string? Email,
    bool EmailUnsubscribed,
    IReadOnlyList<PhoneView> Phones,
    IReadOnlyList<VehicleView> Vehicles,
    IReadOnlyList<SurveySummary> Surveys,
    bool CanEdit)
{
    public string FullName => string.Join(' ', new[] { Title, FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

public sealed record VehicleView(int Id, string Registration, string? Vin, string? Make, string? Model)
{
    public string Description => string.Join(' ', new[] { Make, Model }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

public sealed record SurveySummary(
    int Id,
    string FocusRecordId,
    SurveyStatus Status,
    DateTime StatusChangedAt,
    EventType EventType,
    DateTime EventDate,
    int? Score,
    string? Registration,
    int AttemptCount,
    DateTime? LastAttemptAt,
    IReadOnlyList<SurveyStatusStep> Timeline);

public sealed record SurveyStatusStep(SurveyStatus Status, DateTime ChangedAt, DateTime ReceivedAt);

public enum ContactSaveStatus { Saved, Invalid, Refused, NotFound, Duplicate }

/// <summary>A customer with the same number or email in the dealership, found when adding a contact.</summary>
public sealed record DuplicateContact(int CustomerId, string Name, string MatchedOn);

public sealed record ContactSaveResult(
    ContactSaveStatus Status,
    string Message,
    int? CustomerId = null,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    DuplicateContact? Duplicate = null)
{
    public bool Succeeded => Status == ContactSaveStatus.Saved;
}
