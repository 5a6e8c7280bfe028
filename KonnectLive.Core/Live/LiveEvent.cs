namespace KonnectLive.Core.Live;

public enum LiveEventKind
{
    LockTaken,
    LockReleased,
    AttemptRecorded,
    RecordAdded,
    RecordRemoved,
    RecordChanged,
    /// <summary>
    /// An agent moved their lease to another of their calling pages ("Continue here"). Carries no page token (tokens
    /// are capabilities and events reach hub clients): the page that held it checks with a read whether it still does.
    /// </summary>
    LockMoved,
    /// <summary>A customer's notes changed (<see cref="LiveEvent.CustomerId"/>); <see cref="LiveEvent.RecordId"/> is 0. Not a chase-list change.</summary>
    NoteChanged,
    /// <summary>
    /// A batch (FOCUS ingest) changed several records of one dealership at once: one event per dealership and batch, with
    /// the records in <see cref="LiveEvent.Records"/>; <see cref="LiveEvent.RecordId"/> is 0.
    /// </summary>
    RecordsChanged,
    /// <summary>
    /// Screen pop: the phone system offered or connected a call to one agent (<see cref="LiveEvent.AgentId"/>), from the
    /// number in <see cref="LiveEvent.Reason"/> (call <see cref="LiveEvent.CallId"/>). Only that agent's pages show it; the
    /// hub sends it to that user alone. Not a chase-list change.
    /// </summary>
    CallPop,
    /// <summary>
    /// An agent's state changed (Ready, Not ready, On call, Wrap-up): <see cref="LiveEvent.AgentId"/>, the state in
    /// <see cref="LiveEvent.Reason"/>. The supervisor's board and the agent's own state control listen. Not a chase-list change.
    /// </summary>
    AgentStateChanged,
    /// <summary>
    /// A case record of <see cref="LiveEvent.DealershipId"/> was filed into, opened, reopened or closed (a call, or an agent on
    /// the Cases list); <see cref="LiveEvent.CustomerId"/> when it belongs to one customer, <see cref="LiveEvent.RecordId"/> 0.
    /// Open Cases lists reload. Not a chase-list change.
    /// </summary>
    CaseChanged,
}

/// <summary>The records a <see cref="LiveEventKind.RecordsChanged"/> batch put on, took off, or changed on the chase list.</summary>
public sealed record RecordSetChange(int[] Added, int[] Removed, int[] Changed)
{
    public int Count => Added.Length + Removed.Length + Changed.Length;
}

/// <summary>
/// Something every session that may see <see cref="DealershipId"/> should know about now.
/// Small and serialisable: it crosses SignalR (and later Redis) as JSON.
/// </summary>
public sealed record LiveEvent(
    LiveEventKind Kind,
    int DealershipId,
    int RecordId,
    string? CustomerName = null,
    string? AgentId = null,
    string? AgentName = null,
    string? Reason = null,
    int? CustomerId = null)
{
    /// <summary>Whether the event can change a chase list or the live board (what is called, locked, on or off the list).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AffectsTheChase => Kind is not (LiveEventKind.NoteChanged or LiveEventKind.CallPop or LiveEventKind.AgentStateChanged
        or LiveEventKind.CaseChanged);

    /// <summary>Whether the event can change which records are on a chase list (a lock changes who calls, not the list).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool MayChangeTheChaseMembers =>
        AffectsTheChase && Kind is not (LiveEventKind.LockTaken or LiveEventKind.LockReleased or LiveEventKind.LockMoved);

    /// <summary>For <see cref="LiveEventKind.CallPop"/>: the phone system's call id.</summary>
    public string? CallId { get; init; }

    public Guid EventId { get; init; } = Guid.NewGuid();

    /// <summary>For <see cref="LiveEventKind.RecordsChanged"/>: which records, and how.</summary>
    public RecordSetChange? Records { get; init; }

    /// <summary>Whether the event is about <paramref name="recordId"/> (itself, or as one of a batch's records).</summary>
    public bool Concerns(int recordId) =>
        RecordId == recordId
        || Records is { } r && (r.Added.Contains(recordId) || r.Removed.Contains(recordId) || r.Changed.Contains(recordId));

    /// <summary>Whether <paramref name="recordId"/> left the chase list with this event.</summary>
    public bool Removes(int recordId) =>
        Kind == LiveEventKind.RecordRemoved && RecordId == recordId || Records?.Removed.Contains(recordId) == true;
}
