using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Calling;

/// <summary>A wrap-up an agent can choose on the calling page. Stored, seeded, and edited by admins.</summary>
public class CallOutcome
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>A MudBlazor colour name (Primary, Success, Warning, Error, Info, Default).</summary>
    public string Colour { get; set; } = "Default";
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
}

/// <summary>How a call reached the agent. The calling page makes outbound calls; the rest are for telephony integration.</summary>
public enum CallType { Outbound, Inbound, Transfer, Conference }

/// <summary>One recorded call.</summary>
public class CallAttempt
{
    public CallType CallType { get; set; } = CallType.Outbound;
    public long Id { get; set; }
    public int SurveyRecordId { get; set; }
    public int CustomerId { get; set; }
    public int DealershipId { get; set; }
    public string AgentId { get; set; } = "";
    public string AgentName { get; set; } = "";
    public string? NumberDialled { get; set; }
    public DateTime StartedAt { get; set; }
    public int DurationSeconds { get; set; }
    public int OutcomeId { get; set; }
    public CallOutcome Outcome { get; set; } = null!;
    public string? Note { get; set; }
    public DateTime RecordedAt { get; set; }
}

internal sealed class CallOutcomeConfiguration : IEntityTypeConfiguration<CallOutcome>
{
    public void Configure(EntityTypeBuilder<CallOutcome> b)
    {
        b.Property(o => o.Name).HasMaxLength(80).IsRequired();
        b.Property(o => o.Colour).HasMaxLength(20).IsRequired();
        b.HasIndex(o => o.Name).IsUnique();
    }
}

internal sealed class CallAttemptConfiguration : IEntityTypeConfiguration<CallAttempt>
{
    public void Configure(EntityTypeBuilder<CallAttempt> b)
    {
        b.Property(a => a.AgentId).HasMaxLength(450).IsRequired();
        b.Property(a => a.AgentName).HasMaxLength(100).IsRequired();
        b.Property(a => a.NumberDialled).HasMaxLength(32);
        b.Property(a => a.Note).HasMaxLength(2000);
        b.Property(a => a.CallType).HasConversion<string>().HasMaxLength(12);
        b.HasOne(a => a.Outcome).WithMany().HasForeignKey(a => a.OutcomeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Surveys.SurveyRecord>().WithMany().HasForeignKey(a => a.SurveyRecordId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.CustomerId, a.StartedAt });
        b.HasIndex(a => new { a.DealershipId, a.RecordedAt });
        b.HasIndex(a => new { a.AgentId, a.RecordedAt });
    }
}
