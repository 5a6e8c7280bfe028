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
    string? Reason = null)
{
    public Guid EventId { get; init; } = Guid.NewGuid();
}
