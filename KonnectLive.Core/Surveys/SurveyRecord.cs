using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Dealerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Surveys;

public enum SurveyStatus { Rejected, Pending, Awaiting, Completed, Expired }

public enum EventType { Sales, Service }

/// <summary>How a status FOCUS sends relates to a record's current one.</summary>
public enum IncomingStatusCheck
{
    /// <summary>The same status at the same time: a resend (its data may still have changed).</summary>
    Same,
    /// <summary>A later status time on an open record: apply it.</summary>
    Newer,
    /// <summary>Older than the current status time, or a different status at the very same time (no way to order them).</summary>
    OutOfOrder,
    /// <summary>The record is closed for good.</summary>
    Closed,
}

/// <summary>
/// One FOCUS survey record for one customer and vehicle: its status, its chase-list position and,
/// while an agent has it open, the lock lease. The lock columns are only ever written by
/// <see cref="Calling.CallLockService"/> with conditional UPDATEs.
/// </summary>
public class SurveyRecord
{
    /// <summary>Position of a never-attempted record: before every attempted one.</summary>
    public static readonly DateTime NeverAttemptedKey = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Chase-list position of a call-back due at <paramref name="dueUtc"/>: a hundred years earlier, so once due it sorts
    /// above every never-attempted record (<see cref="NeverAttemptedKey"/>) and call-backs among themselves by due time.
    /// Holds for any due time before 2070 (call-backs are booked at most 90 days ahead).
    /// </summary>
    public static DateTime CallbackKey(DateTime dueUtc) => dueUtc.AddYears(-100);

    /// <summary>Keys from here on belong to records whose chase has ended (<see cref="ChaseEndedKey"/>).</summary>
    public static readonly DateTime ChaseEndedFloor = new(3000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Chase-list position of a record whose chase ended at <paramref name="endedUtc"/>: past every chased record, in ending order.</summary>
    public static DateTime ChaseEndedKey(DateTime endedUtc) => endedUtc.AddYears(1000);

    /// <summary>
    /// Keys from here up to <see cref="ChaseEndedFloor"/> belong to chased records whose customer has no number left to call
    /// (<see cref="NoNumberKey"/>): still on the list, below every callable customer, in the same order among themselves.
    /// </summary>
    public static readonly DateTime NoNumberFloor = new(2400, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>How far a chased record with no number to call sinks: its key moved past every real time (holds until 2400).</summary>
    public const int NoNumberYears = 500;

    /// <summary>The key of a chased record (never attempted or a last attempt) whose customer has no number to call.</summary>
    public static DateTime NoNumberKey(DateTime chasedKey) => chasedKey.AddYears(NoNumberYears);

    /// <summary>
    /// The highest key on the chase list's call-back band at <paramref name="nowUtc"/>: keys up to it are due call-backs;
    /// keys above it and below <see cref="NeverAttemptedKey"/> are call-backs not yet due.
    /// </summary>
    public static DateTime DueCallbackKeyLimit(DateTime nowUtc) => CallbackKey(nowUtc);

    public int Id { get; set; }
    public string FocusRecordId { get; set; } = "";
    public int DealershipId { get; set; }
    public Dealership Dealership { get; set; } = null!;
    public int CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public int? VehicleId { get; set; }
    public Vehicle? Vehicle { get; set; }
    public SurveyStatus Status { get; private set; }
    public DateTime StatusChangedAt { get; private set; }
    public int? Score { get; set; }
    public EventType EventType { get; set; }
    public DateTime EventDate { get; set; }
    public DateTime ReceivedAt { get; set; }

    public int AttemptCount { get; private set; }
    public DateTime? LastAttemptAt { get; private set; }
    /// <summary>
    /// Chase-list sort key. Non-null so every database sorts it the same way. It also says whether the record is on the
    /// list, so the list is read from the (Status, ChaseKey, Id) index alone, without touching each row:
    /// <list type="bullet">
    /// <item>before 1970 — a call-back (<see cref="CallbackKey"/>): on the list, at the top, once due; off it until then;</item>
    /// <item><see cref="NeverAttemptedKey"/> — never attempted: on the list, above every attempted record;</item>
    /// <item>a real time — the last attempt: on the list, oldest first;</item>
    /// <item>from <see cref="NoNumberFloor"/> — a chased record with no number to call (<see cref="NoNumberKey"/>): on the list, at the bottom;</item>
    /// <item>from <see cref="ChaseEndedFloor"/> — the chase ended (<see cref="ChaseEndedKey"/>): off the list for good.</item>
    /// </list>
    /// <see cref="CallbackDueAt"/> and <see cref="ChaseEndedAt"/> say the same in words for people; the outcome that sets
    /// them sets the key in the same UPDATE (Calling.AttemptEffect).
    /// </summary>
    public DateTime ChaseKey { get; private set; } = NeverAttemptedKey;

    /// <summary>Call back later: the record is off the chase list until this time (UTC), then back at the top.</summary>
    public DateTime? CallbackDueAt { get; private set; }
    /// <summary>The agent who booked the call-back.</summary>
    public string? CallbackAgentId { get; private set; }
    public string? CallbackAgentName { get; private set; }
    /// <summary>Until then (UTC) only <see cref="CallbackAgentId"/> may open the record; null: not reserved.</summary>
    public DateTime? ReservedUntil { get; private set; }
    /// <summary>
    /// Set when an outcome took the record off the chase list for good (spoke, declined, no way left to call).
    /// The FOCUS status is unchanged: FOCUS owns it. Null while the record is being chased.
    /// </summary>
    public DateTime? ChaseEndedAt { get; private set; }
    public string? ChaseEndedReason { get; private set; }

    public string? LockHolderId { get; private set; }
    public string? LockHolderName { get; private set; }
    public DateTime? LockAcquiredAt { get; private set; }
    public DateTime? LockExpiresAt { get; private set; }
    /// <summary>
    /// The calling page that holds the lease (a random per-page token that never leaves the server): renewing and
    /// releasing need it, so another tab of the same agent can never end the lease. Null when nobody holds it.
    /// </summary>
    public string? LockToken { get; private set; }

    public List<SurveyStatusChange> History { get; set; } = [];

    public bool IsClosed => Status is SurveyStatus.Rejected or SurveyStatus.Completed or SurveyStatus.Expired;
    public bool IsCallable => Status == SurveyStatus.Awaiting;

    public static SurveyRecord Create(string focusRecordId, int dealershipId, Customer customer, Vehicle? vehicle,
        SurveyStatus status, DateTime statusChangedAt, int? score, EventType eventType, DateTime eventDate, DateTime receivedAt,
        long? inboundRequestId = null)
    {
        var record = new SurveyRecord
        {
            FocusRecordId = focusRecordId, DealershipId = dealershipId, Customer = customer, Vehicle = vehicle,
            Status = status, StatusChangedAt = statusChangedAt, Score = score, EventType = eventType,
            EventDate = eventDate, ReceivedAt = receivedAt,
        };
        record.History.Add(new SurveyStatusChange { Status = status, ChangedAt = statusChangedAt, ReceivedAt = receivedAt, InboundRequestId = inboundRequestId });
        return record;
    }

    /// <summary>Moves to a new status. Closed records never reopen.</summary>
    public void ChangeStatus(SurveyStatus status, DateTime changedAt, DateTime receivedAt, long? inboundRequestId = null)
    {
        if (IsClosed) throw new DomainException($"Survey record {FocusRecordId} is closed ({Status}) and cannot change.");
        Status = status;
        StatusChangedAt = changedAt;
        History.Add(new SurveyStatusChange { Status = status, ChangedAt = changedAt, ReceivedAt = receivedAt, InboundRequestId = inboundRequestId });
    }

    /// <summary>
    /// Orders an incoming FOCUS status against this record. A resend is recognised even on a closed record (so
    /// resending a batch stays idempotent); otherwise closed records never change, and only a strictly later time moves
    /// the status — the same status at a later time counts as a new event (FOCUS re-issued it).
    /// </summary>
    public IncomingStatusCheck CheckIncoming(SurveyStatus status, DateTime changedAt) =>
        status == Status && changedAt == StatusChangedAt ? IncomingStatusCheck.Same
        : IsClosed ? IncomingStatusCheck.Closed
        : changedAt <= StatusChangedAt ? IncomingStatusCheck.OutOfOrder
        : IncomingStatusCheck.Newer;

    /// <summary>Applies a FOCUS status after <see cref="CheckIncoming"/> said it is newer; throws otherwise.</summary>
    public void ApplyIncomingStatus(SurveyStatus status, DateTime changedAt, DateTime receivedAt, long? inboundRequestId)
    {
        var check = CheckIncoming(status, changedAt);
        if (check != IncomingStatusCheck.Newer)
            throw new DomainException($"Survey record {FocusRecordId}: {status} at {changedAt:O} cannot be applied ({check}).");
        ChangeStatus(status, changedAt, receivedAt, inboundRequestId);
    }

    /// <summary>Sets attempt history directly; used by demo data and imports, never by the calling flow.</summary>
    public void SeedAttempts(int count, DateTime? lastAttemptAt)
    {
        AttemptCount = count;
        LastAttemptAt = lastAttemptAt;
        ChaseKey = lastAttemptAt ?? NeverAttemptedKey;
    }
}

public class SurveyStatusChange
{
    public int Id { get; set; }
    public int SurveyRecordId { get; set; }
    public SurveyStatus Status { get; set; }
    public DateTime ChangedAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    /// <summary>The inbound API request that brought this status, if any.</summary>
    public long? InboundRequestId { get; set; }
}

internal sealed class SurveyRecordConfiguration : IEntityTypeConfiguration<SurveyRecord>
{
    public void Configure(EntityTypeBuilder<SurveyRecord> b)
    {
        b.Property(r => r.FocusRecordId).HasMaxLength(64).IsRequired();
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.EventType).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.LockHolderId).HasMaxLength(450);
        b.Property(r => r.LockHolderName).HasMaxLength(100);
        b.Property(r => r.LockToken).HasMaxLength(64);
        b.Property(r => r.CallbackAgentId).HasMaxLength(450);
        b.Property(r => r.CallbackAgentName).HasMaxLength(100);
        b.Property(r => r.ChaseEndedReason).HasMaxLength(200);
        b.HasIndex(r => r.CallbackDueAt);
        b.HasIndex(r => r.FocusRecordId).IsUnique();
        // The chase list: Awaiting records in ChaseKey order, optionally for one dealership.
        b.HasIndex(r => new { r.Status, r.ChaseKey, r.Id });
        b.HasIndex(r => new { r.DealershipId, r.Status, r.ChaseKey, r.Id });
        // One lock per agent, enforced by the database itself (NULLs are distinct in SQLite and PostgreSQL).
        b.HasIndex(r => r.LockHolderId).IsUnique();
        b.HasIndex(r => r.LockExpiresAt);
        b.HasOne(r => r.Dealership).WithMany().HasForeignKey(r => r.DealershipId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(r => r.Customer).WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(r => r.Vehicle).WithMany().HasForeignKey(r => r.VehicleId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(r => r.History).WithOne().HasForeignKey(h => h.SurveyRecordId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(r => r.IsClosed);
        b.Ignore(r => r.IsCallable);
    }
}

internal sealed class SurveyStatusChangeConfiguration : IEntityTypeConfiguration<SurveyStatusChange>
{
    public void Configure(EntityTypeBuilder<SurveyStatusChange> b)
    {
        b.Property(h => h.Status).HasConversion<string>().HasMaxLength(16);
    }
}
