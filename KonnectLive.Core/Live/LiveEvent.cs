namespace KonnectLive.Core.Live;

public enum LiveEventKind
{
    LockTaken,
    LockReleased,
    AttemptRecorded,
    RecordAdded,
    RecordRemoved,
    RecordChanged,
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
