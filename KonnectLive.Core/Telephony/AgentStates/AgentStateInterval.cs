using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Telephony.AgentStates;

/// <summary>An agent's availability. Ready and Not ready are set by the agent; On call and Wrap-up by call events.</summary>
public enum AgentStateKind { Ready, NotReady, OnCall, WrapUp }

/// <summary>What to do when an agent's wrap-up (after-call work) reaches the limit.</summary>
public enum AfterCallWorkAtLimit { ReturnToReady, Flag }

/// <summary>
/// One stretch of one agent in one state. The open interval (<see cref="EndedAt"/> null; at most one per agent, a unique
/// filtered index) is the agent's state now; closed ones are the history the report sums. In the database, so every
/// instance sees the same state.
/// </summary>
public class AgentStateInterval
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public string AgentName { get; set; } = "";
    public int? DealershipId { get; set; }
    public AgentStateKind State { get; set; }
    public int? ReasonId { get; set; }
    /// <summary>The Not-ready reason's name as it was chosen.</summary>
    public string? ReasonName { get; set; }
    /// <summary>On call / Wrap-up: the phone system's call id.</summary>
    public string? CallId { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    /// <summary>agent, telephony or system (the after-call-work limit).</summary>
    public string Source { get; set; } = "";
    /// <summary>Wrap-up went past the limit and the settings say flag (the agent stays in Wrap-up, marked).</summary>
    public bool OverLimit { get; set; }
}

internal sealed class AgentStateIntervalConfiguration : IEntityTypeConfiguration<AgentStateInterval>
{
    public void Configure(EntityTypeBuilder<AgentStateInterval> b)
    {
        b.Property(i => i.UserId).HasMaxLength(450).IsRequired();
        b.Property(i => i.AgentName).HasMaxLength(100).IsRequired();
        b.Property(i => i.State).HasConversion<string>().HasMaxLength(16);
        b.Property(i => i.ReasonName).HasMaxLength(80);
        b.Property(i => i.CallId).HasMaxLength(100);
        b.Property(i => i.Source).HasMaxLength(16).IsRequired();
        b.HasIndex(i => i.UserId).IsUnique().HasFilter("\"EndedAt\" IS NULL").HasDatabaseName("IX_AgentStateIntervals_Open");
        b.HasIndex(i => new { i.UserId, i.StartedAt });
        b.HasIndex(i => new { i.State, i.EndedAt });
    }
}

/// <summary>An admin-defined reason for Not ready (lunch, training, coaching). Never deleted: the history refers to it.</summary>
public class NotReadyReason
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
}

internal sealed class NotReadyReasonConfiguration : IEntityTypeConfiguration<NotReadyReason>
{
    public void Configure(EntityTypeBuilder<NotReadyReason> b)
    {
        b.Property(r => r.Name).HasMaxLength(80).IsRequired();
        b.Property(r => r.CreatedBy).HasMaxLength(100);
        b.HasIndex(r => r.Name).IsUnique();
    }
}
