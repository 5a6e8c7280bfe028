using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Retention;

/// <summary>How long KonnectLive keeps what piles up (Configuration → Retention). One row (Id 1); missing means the defaults.</summary>
public class RetentionSettings
{
    public const int SingletonId = 1;
    public const int DefaultInboundPayloadDays = 30;
    public const int DefaultOutboxDays = 90;
    public const int DefaultFinishedMessageDays = 180;
    public const int DefaultAuditDays = 730;

    public int Id { get; set; } = SingletonId;
    /// <summary>Raw FOCUS request bodies and their per-record results in the inbound log (the log row itself stays for <see cref="AuditDays"/>).</summary>
    public int InboundPayloadDays { get; set; } = DefaultInboundPayloadDays;
    /// <summary>What the embedded outbox "sent" (only for messages no longer waiting or sending).</summary>
    public int OutboxDays { get; set; } = DefaultOutboxDays;
    /// <summary>Scheduled messages that are sent, cancelled, skipped or failed, counted from when they finished.</summary>
    public int FinishedMessageDays { get; set; } = DefaultFinishedMessageDays;
    /// <summary>The audit log and the inbound log's rows: kept longest, at least as long as any other period.</summary>
    public int AuditDays { get; set; } = DefaultAuditDays;
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class RetentionSettingsConfiguration : IEntityTypeConfiguration<RetentionSettings>
{
    public void Configure(EntityTypeBuilder<RetentionSettings> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.UpdatedBy).HasMaxLength(100);
    }
}
