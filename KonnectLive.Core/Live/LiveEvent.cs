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
    public bool AffectsTheChase => Kind != LiveEventKind.NoteChanged;

    public Guid EventId { get; init; } = Guid.NewGuid();
}
