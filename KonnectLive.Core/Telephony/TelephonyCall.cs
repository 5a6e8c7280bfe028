using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Telephony;

/// <summary>What the phone system says happened, in its words (<c>offered</c>, <c>answered</c> …).</summary>
public enum CallEventType { Offered, Answered, Transferred, Conferenced, Held, Resumed, Ended, Recording }

public enum CallDirection { Inbound, Outbound }

/// <summary>How a call ended: <c>completed</c>, <c>abandoned</c> (the caller hung up before an agent answered), <c>no_answer</c>, <c>busy</c>.</summary>
public enum CallEndReason { Completed, Abandoned, NoAnswer, Busy }

/// <summary>An agent's part of a call, as the interaction history names it (seed 001: INBOUND, OUTBOUND, TRANSFER, CONFERENCE).</summary>
public enum CallLegType { Inbound, Outbound, Transfer, Conference }

/// <summary>
/// One event as the phone system sent it, kept for good: the call and its legs are rebuilt from a call's events whenever
/// one arrives, so duplicates and events that arrive out of order change nothing but what they should.
/// </summary>
public class TelephonyEvent
{
    public long Id { get; set; }
    public int ApiClientId { get; set; }
    /// <summary>The provider's id for this event: sending it again is a duplicate, not a second event.</summary>
    public string EventId { get; set; } = "";
    public string CallId { get; set; } = "";
    public CallEventType Type { get; set; }
    public DateTime OccurredAt { get; set; }
    public CallDirection? Direction { get; set; }
    public string? Ani { get; set; }
    public string? Dnis { get; set; }
    public string? Queue { get; set; }
    public string? Language { get; set; }
    /// <summary>The agent as the phone system named them (user name or extension).</summary>
    public string? Agent { get; set; }
    /// <summary>The KonnectLive user that name or extension belongs to, when there is one.</summary>
    public string? AgentUserId { get; set; }
    public CallEndReason? EndReason { get; set; }
    public string? RecordingUrl { get; set; }
    public DateTime ReceivedAt { get; set; }
}

/// <summary>A call as a whole: who rang whom, when, how it ended, its recording. Rebuilt from its events.</summary>
public class TelephonyCall
{
    public long Id { get; set; }
    public int ApiClientId { get; set; }
    public string CallId { get; set; } = "";
    public CallDirection Direction { get; set; }
    public string? Ani { get; set; }
    public string? Dnis { get; set; }
    /// <summary>The customer's side of the call: the caller (ANI) of an inbound call, the number dialled (DNIS) of an outbound one.</summary>
    public string? CustomerNumber { get; set; }
    /// <summary><see cref="Customers.SearchKeys.Digits"/> of <see cref="CustomerNumber"/>: finds every call that used a number.</summary>
    public string? CustomerDigits { get; set; }
    public string? Queue { get; set; }
    public string? Language { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public CallEndReason? EndReason { get; set; }
    public string? RecordingUrl { get; set; }
    /// <summary>The dealership of the first agent on the call; null while no agent of a dealership has had it.</summary>
    public int? DealershipId { get; set; }
    public Dealership? Dealership { get; set; }
    public List<CallLeg> Legs { get; set; } = [];
}

/// <summary>One agent's part of a call: one interaction in the history.</summary>
public class CallLeg
{
    public long Id { get; set; }
    public long TelephonyCallId { get; set; }
    public TelephonyCall Call { get; set; } = null!;
    /// <summary>1, 2, … in the order the legs began.</summary>
    public int Sequence { get; set; }
    public CallLegType Type { get; set; }
    /// <summary>The agent, when the phone system's name or extension is a KonnectLive user.</summary>
    public string? UserId { get; set; }
    public AppUser? User { get; set; }
    /// <summary>The agent as the phone system named them.</summary>
    public string? Agent { get; set; }
    public int? DealershipId { get; set; }
    /// <summary>When the agent's part began: answered, transferred or conferenced to them, or (outbound) when they dialled.</summary>
    public DateTime StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    /// <summary>Whether the agent spoke to the customer (an outbound call nobody picked up was not).</summary>
    public bool Connected { get; set; }
    /// <summary>From <see cref="StartedAt"/> to <see cref="EndedAt"/> for a connected leg (hold included); 0 for one that never connected.</summary>
    public int DurationSeconds { get; set; }
    public int HoldSeconds { get; set; }
    /// <summary>
    /// The outcome the agent recorded during this leg (its wrap-up), linked by <see cref="CallLegWrapUp"/>; null until
    /// they record one. Kept when the leg is rebuilt from later events, as long as it stays the same agent's.
    /// </summary>
    public long? CallAttemptId { get; set; }
}

internal sealed class TelephonyEventConfiguration : IEntityTypeConfiguration<TelephonyEvent>
{
    public void Configure(EntityTypeBuilder<TelephonyEvent> b)
    {
        b.Property(e => e.EventId).HasMaxLength(100).IsRequired();
        b.Property(e => e.CallId).HasMaxLength(100).IsRequired();
        b.Property(e => e.Type).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.Direction).HasConversion<string>().HasMaxLength(10);
        b.Property(e => e.EndReason).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.Ani).HasMaxLength(32);
        b.Property(e => e.Dnis).HasMaxLength(32);
        b.Property(e => e.Queue).HasMaxLength(50);
        b.Property(e => e.Language).HasMaxLength(20);
        b.Property(e => e.Agent).HasMaxLength(100);
        b.Property(e => e.AgentUserId).HasMaxLength(450);
        b.Property(e => e.RecordingUrl).HasMaxLength(500);
        b.HasIndex(e => new { e.ApiClientId, e.EventId }).IsUnique();
        b.HasIndex(e => new { e.ApiClientId, e.CallId });
        b.HasOne<ApiClient>().WithMany().HasForeignKey(e => e.ApiClientId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TelephonyCallConfiguration : IEntityTypeConfiguration<TelephonyCall>
{
    public void Configure(EntityTypeBuilder<TelephonyCall> b)
    {
        b.Property(c => c.CallId).HasMaxLength(100).IsRequired();
        b.Property(c => c.Direction).HasConversion<string>().HasMaxLength(10);
        b.Property(c => c.EndReason).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Ani).HasMaxLength(32);
        b.Property(c => c.Dnis).HasMaxLength(32);
        b.Property(c => c.CustomerNumber).HasMaxLength(32);
        b.Property(c => c.CustomerDigits).HasMaxLength(32);
        b.Property(c => c.Queue).HasMaxLength(50);
        b.Property(c => c.Language).HasMaxLength(20);
        b.Property(c => c.RecordingUrl).HasMaxLength(500);
        b.HasIndex(c => new { c.ApiClientId, c.CallId }).IsUnique();
        b.HasIndex(c => c.CustomerDigits);
        b.HasIndex(c => c.StartedAt);
        b.HasOne<ApiClient>().WithMany().HasForeignKey(c => c.ApiClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(c => c.Dealership).WithMany().HasForeignKey(c => c.DealershipId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Legs).WithOne(l => l.Call).HasForeignKey(l => l.TelephonyCallId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CallLegConfiguration : IEntityTypeConfiguration<CallLeg>
{
    public void Configure(EntityTypeBuilder<CallLeg> b)
    {
        b.Property(l => l.Type).HasConversion<string>().HasMaxLength(20);
        b.Property(l => l.Agent).HasMaxLength(100);
        b.HasIndex(l => new { l.TelephonyCallId, l.Sequence }).IsUnique();
        b.HasIndex(l => new { l.UserId, l.StartedAt });
        b.HasIndex(l => l.CallAttemptId).IsUnique(); // one leg per recorded call
        b.HasOne<Calling.CallAttempt>().WithMany().HasForeignKey(l => l.CallAttemptId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(l => l.User).WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Dealership>().WithMany().HasForeignKey(l => l.DealershipId).OnDelete(DeleteBehavior.Restrict);
    }
}
