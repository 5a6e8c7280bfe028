using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Settings;

/// <summary>The six CSI settings of Configuration → CSI Settings. One row (Id 1).</summary>
public class CsiSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    /// <summary>CSI Awaiting State Message Contact Template: sent when a record becomes Awaiting (none: no message).</summary>
    public int? AwaitingTemplateId { get; set; }
    /// <summary>CSI Awaiting State Message Delay, in minutes after Awaiting arrives.</summary>
    public int AwaitingDelayMinutes { get; set; } = 60;
    /// <summary>CSI Focus Match Cut Off Days: records whose event is older are stored but not processed.</summary>
    public int FocusMatchCutOffDays { get; set; } = 90;
    /// <summary>CSI Pending State Message Contact Template: sent when a record becomes Pending (none: no message).</summary>
    public int? PendingTemplateId { get; set; }
    /// <summary>CSI Pending State Message Delay, in minutes after Pending arrives.</summary>
    public int PendingDelayMinutes { get; set; } = 60;
    /// <summary>CSI Positive Response Threshold: the minimum score for a Pending record to be messaged.</summary>
    public int PositiveResponseThreshold { get; set; } = 9;
    /// <summary>How many minutes after recording an outcome the agent (or a supervisor) may undo it.</summary>
    public int UndoMinutes { get; set; } = DefaultUndoMinutes;
    public const int DefaultUndoMinutes = 5;
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class CsiSettingsConfiguration : IEntityTypeConfiguration<CsiSettings>
{
    public void Configure(EntityTypeBuilder<CsiSettings> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.UpdatedBy).HasMaxLength(100);
        b.HasOne<Messaging.MessageTemplate>().WithMany().HasForeignKey(s => s.AwaitingTemplateId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Messaging.MessageTemplate>().WithMany().HasForeignKey(s => s.PendingTemplateId).OnDelete(DeleteBehavior.SetNull);
    }
}
