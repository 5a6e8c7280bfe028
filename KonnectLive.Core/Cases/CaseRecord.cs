using KonnectLive.Core.Customers;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Cases;

public enum CaseStatus { Open, Closed }

/// <summary>A broken case rule (closing a closed case): the page shows the message.</summary>
public sealed class CaseRuleException(string message) : InvalidOperationException(message);

/// <summary>
/// A case record (seed 002, "CRM record"): a customer's calls about one thing in one queue, each call one
/// <see cref="CaseSession"/>, in order. Filed by <see cref="CaseFiling"/> from the phone system's events. A case whose
/// caller's number matched no customer, or several (a household sharing a phone), has no <see cref="CustomerId"/>: it is
/// kept by the number (<see cref="CustomerDigits"/>) and never put on one of those customers silently.
/// </summary>
public class CaseRecord
{
    public const int MaxTitle = 200;
    public const int MaxTags = 300;

    public long Id { get; private set; }
    public int DealershipId { get; private set; }
    public Dealership Dealership { get; private set; } = null!;
    /// <summary>The customer, when the caller's number was exactly one customer of the dealership; null for a case kept by number.</summary>
    public int? CustomerId { get; private set; }
    public Customer? Customer { get; private set; }
    /// <summary>The caller's number as the phone system gave it, and its national digits (what matching compares).</summary>
    public string? PhoneNumber { get; private set; }
    public string? CustomerDigits { get; private set; }
    /// <summary>The queue the calls came in on; cases are per customer and queue ("the same leaf queue").</summary>
    public string? Queue { get; private set; }
    public CaseStatus Status { get; private set; }
    public string Title { get; private set; } = "";
    /// <summary>Session-type tags, comma-separated, each once (<c>voice_inbound,voice_transfer</c>).</summary>
    public string Tags { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime? ClosedAt { get; private set; }
    public string? ClosedBy { get; private set; }
    public List<CaseSession> Sessions { get; private set; } = [];

    private CaseRecord() { }

    public static CaseRecord Open(int dealershipId, int? customerId, string? phoneNumber, string? customerDigits, string? queue, string title, DateTime now) => new()
    {
        DealershipId = dealershipId, CustomerId = customerId, PhoneNumber = phoneNumber, CustomerDigits = customerDigits, Queue = queue,
        Status = CaseStatus.Open, Title = title.Length > MaxTitle ? title[..MaxTitle] : title, CreatedAt = now, UpdatedAt = now,
    };

    public IReadOnlyList<string> TagList => Tags.Length == 0 ? [] : Tags.Split(',');

    /// <summary>Files a call session as the next in order; a closed case reopens to the default open status (seed 002).</summary>
    public void Append(CaseSession session, IEnumerable<string> tags, DateTime now)
    {
        session.Sequence = Sessions.Count == 0 ? 1 : Sessions.Max(s => s.Sequence) + 1;
        Sessions.Add(session);
        if (Status == CaseStatus.Closed) Reopen(now);
        AddTags(tags);
        UpdatedAt = now;
    }

    /// <summary>Adds tags not there yet; true when one was added.</summary>
    public bool AddTags(IEnumerable<string> tags)
    {
        var list = TagList.ToList();
        var added = false;
        foreach (var tag in tags)
            if (!list.Contains(tag)) { list.Add(tag); added = true; }
        var joined = string.Join(',', list);
        if (joined.Length <= MaxTags) Tags = joined;
        return added;
    }

    public void Close(string by, DateTime now)
    {
        if (Status == CaseStatus.Closed) throw new CaseRuleException($"Case {Id} is already closed.");
        Status = CaseStatus.Closed;
        ClosedAt = now;
        ClosedBy = by.Length > 100 ? by[..100] : by;
        UpdatedAt = now;
    }

    public void Reopen(DateTime now)
    {
        if (Status == CaseStatus.Open) throw new CaseRuleException($"Case {Id} is already open.");
        Status = CaseStatus.Open;
        ClosedAt = null;
        ClosedBy = null;
        UpdatedAt = now;
    }
}

/// <summary>
/// One call session of a case: one phone-system call (<see cref="TelephonyCall"/>, whose legs are the agents' parts of it
/// and the interactions in the history). A call is filed once: <see cref="TelephonyCallId"/> is unique.
/// </summary>
public class CaseSession
{
    public long Id { get; set; }
    public long CaseRecordId { get; set; }
    public CaseRecord Case { get; set; } = null!;
    /// <summary>1, 2, … in the order the calls were filed.</summary>
    public int Sequence { get; set; }
    public long TelephonyCallId { get; set; }
    public TelephonyCall Call { get; set; } = null!;
    /// <summary>The session type as a tag: voice_inbound, voice_outbound (see <see cref="CaseFiling.SessionTags"/>).</summary>
    public string SessionType { get; set; } = "";
    /// <summary>The caller hung up before an agent answered.</summary>
    public bool Abandoned { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime FiledAt { get; set; }
}

internal sealed class CaseRecordConfiguration : IEntityTypeConfiguration<CaseRecord>
{
    public void Configure(EntityTypeBuilder<CaseRecord> b)
    {
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(10);
        b.Property(c => c.Title).HasMaxLength(CaseRecord.MaxTitle).IsRequired();
        b.Property(c => c.Tags).HasMaxLength(CaseRecord.MaxTags).IsRequired();
        b.Property(c => c.PhoneNumber).HasMaxLength(32);
        b.Property(c => c.CustomerDigits).HasMaxLength(32);
        b.Property(c => c.Queue).HasMaxLength(50);
        b.Property(c => c.ClosedBy).HasMaxLength(100);
        b.Ignore(c => c.TagList);
        b.HasIndex(c => new { c.DealershipId, c.CustomerId, c.Queue, c.Status });
        b.HasIndex(c => new { c.DealershipId, c.CustomerDigits });
        b.HasIndex(c => c.UpdatedAt);
        b.HasOne(c => c.Dealership).WithMany().HasForeignKey(c => c.DealershipId).OnDelete(DeleteBehavior.Restrict);
        // A merge moves cases to the survivor first (CustomerMerge); anything left becomes a case kept by number.
        b.HasOne(c => c.Customer).WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(c => c.Sessions).WithOne(s => s.Case).HasForeignKey(s => s.CaseRecordId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CaseSessionConfiguration : IEntityTypeConfiguration<CaseSession>
{
    public void Configure(EntityTypeBuilder<CaseSession> b)
    {
        b.Property(s => s.SessionType).HasMaxLength(40).IsRequired();
        b.HasIndex(s => s.TelephonyCallId).IsUnique(); // one call, one session: duplicates and races cannot file it twice
        b.HasIndex(s => new { s.CaseRecordId, s.Sequence }).IsUnique();
        b.HasOne(s => s.Call).WithMany().HasForeignKey(s => s.TelephonyCallId).OnDelete(DeleteBehavior.Cascade);
    }
}
