using KonnectLive.Core.Customers;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>A record of the batch that passed validation, with its values parsed and normalised.</summary>
internal sealed record IngestRecord(
    CsiRecordResult Result,
    CsiRecordInput Input,
    int DealershipId,
    SurveyStatus Status,
    DateTime ChangedAt,
    DateTime EventDate,
    IReadOnlyList<(string Number, PhoneType Type)> Phones,
    string? Email)
{
    public string FocusRecordId => Input.FocusRecordId!;
    public CsiCustomerInput Customer => Input.Customer!;
    public CsiVehicleInput Vehicle => Input.Vehicle!;
    public string? FocusCustomerId => string.IsNullOrWhiteSpace(Customer.FocusCustomerId) ? null : Customer.FocusCustomerId.Trim();

    public CustomerIdentity Identity =>
        new(DealershipId, FocusCustomerId, Email, [.. Phones.Select(p => p.Number)], Customer.FirstName!.Trim(), Customer.LastName!.Trim());
}

/// <summary>A survey record the batch touches, as the transaction sees it: where it started and what happened to it.</summary>
internal sealed class TrackedRecord(SurveyRecord record, SurveyStatus? initialStatus)
{
    public SurveyRecord Record { get; } = record;
    /// <summary>Null for a record this batch created.</summary>
    public SurveyStatus? InitialStatus { get; } = initialStatus;
    public bool StatusEvent { get; set; }
    public bool DataChanged { get; set; }
}

/// <summary>
/// What the load step found: the batch's existing survey records by FOCUS id, and the customers new records may match; and
/// what the batch creates that EF's change tracker never holds: new customers and new survey records, with everything
/// below them (<see cref="IngestRowWriter"/> writes them from the objects).
/// </summary>
internal sealed record IngestWorkingSet(Dictionary<string, TrackedRecord> Tracked, CustomerMatcher Customers)
{
    public List<object> Untracked { get; } = [];
}
