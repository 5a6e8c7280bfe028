using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Fields;

namespace KonnectLive.Core.Requests;

/// <summary>One field of a request with its value (stored text; as typed for a draft).</summary>
public sealed record RequestValueView(int FieldId, string Name, CustomFieldType Type, IReadOnlyList<string> Choices, bool IsRequired, bool IsActive, string? Value)
{
    /// <summary>How the value reads on screen: a saved value in the user's culture; a draft's text as typed.</summary>
    public string Display(RequestStatus status) => Value is null ? "" : status == RequestStatus.Saved ? CustomFieldValues.Display(Type, Value) : Value;
}

/// <summary>A request as the panel, the history and the Cases page show it.</summary>
public sealed record RequestView(
    long Id, int CustomerId, int DealershipId, int TypeId, string TypeName, RequestStatus Status, string RaisedByName, string RaisedById,
    DateTime RaisedAt, DateTime UpdatedAt, long? CallAttemptId, long? CallLegId, bool IsErased, IReadOnlyList<RequestValueView> Values)
{
    public bool IsDraft => Status == RequestStatus.Draft;

    /// <summary>"Reason: Late delivery · Booked for: 3 Mar 2026", the filled fields only.</summary>
    public string Summary => IsErased ? "(erased)"
        : string.Join(" · ", Values.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => $"{v.Name}: {v.Display(Status)}"));
}

/// <summary>
/// Where the panel is: the customer, and on the calling page the record it holds and the page's lock token (the server
/// checks the lock on every write, not the page).
/// </summary>
public sealed record RequestContext(int CustomerId, int? RecordId = null, string? PageToken = null)
{
    public bool OnCallingPage => RecordId is not null;
}

/// <summary>A type an agent may raise now: active, with its active fields in order.</summary>
public sealed record RequestTypeOption(int Id, string Name, string? Description, IReadOnlyList<RequestValueView> Fields);

/// <summary>What the requests panel shows: the types to raise, this agent's requests still in progress here, and whether they may change them.</summary>
public sealed record RequestPanelView(IReadOnlyList<RequestTypeOption> Types, IReadOnlyList<RequestView> Requests, bool CanEdit, string? ReadOnlyReason);

/// <summary>
/// A request as the panel submits it: <see cref="RequestId"/> null for a new one. <see cref="Save"/> false keeps it a
/// draft (what was typed, unchecked); true checks every value by its type and the required fields, and saves it.
/// </summary>
public sealed record RequestSubmission(long? RequestId, int TypeId, IReadOnlyDictionary<int, string?> Values, bool Save);

/// <param name="Errors">Field id → message, when <see cref="Outcome"/> is Invalid.</param>
public sealed record RequestResult(CommandOutcome Outcome, string Message, IReadOnlyDictionary<int, string> Errors, RequestView? Request)
{
    public bool Succeeded => Outcome is CommandOutcome.Done or CommandOutcome.Unchanged;

    internal static readonly IReadOnlyDictionary<int, string> NoErrors = new Dictionary<int, string>();
    internal static RequestResult Fail(CommandOutcome outcome, string message) => new(outcome, message, NoErrors, null);
}

/// <summary>Requests of one type raised for one dealership in a report's range.</summary>
public sealed record RequestsByTypeRow(int DealershipId, string Dealership, int TypeId, string Type, int Saved, int Drafts)
{
    public int Count => Saved + Drafts;
}
