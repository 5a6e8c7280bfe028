using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Messaging;

public enum MessageState { Scheduled, Sending, Sent, Cancelled, Skipped, Failed }

/// <summary>
/// One message to one customer: the source of truth for whether it goes, when, and what happened.
/// The dispatcher claims due rows with conditional UPDATEs and sends them; the idempotency key travels
/// with the message so a retry after a crash is recognised by the sender and never sent twice.
/// </summary>
public class ScheduledMessage
{
    public long Id { get; set; }
    public int SurveyRecordId { get; set; }
    public int CustomerId { get; set; }
    public int DealershipId { get; set; }
    public int? TemplateId { get; set; }
    public MessageTemplate? Template { get; set; }
    public MessageChannel Channel { get; set; }
    /// <summary>The survey status that queued it (Pending or Awaiting); null for a message an agent sent now.</summary>
    public SurveyStatus? TriggerStatus { get; set; }
    /// <summary>The status-changed time of that status: the message goes only while the record is still in it.</summary>
    public DateTime? TriggerStatusChangedAt { get; set; }
    /// <summary>Free text for a message an agent wrote; null when rendered from the template at send time.</summary>
    public string? CustomBody { get; set; }
    public string? CustomSubject { get; set; }
    /// <summary>The address or number it went to, and the text as sent (filled at send time).</summary>
    public string? Recipient { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public MessageState State { get; set; } = MessageState.Scheduled;
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public string? SkipReason { get; set; }
    public string IdempotencyKey { get; set; } = "";
    public string? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public string? ProviderMessageId { get; set; }
}

/// <summary>What the embedded default's outbox sender "sent": a record per idempotency key, shown on the Messages page.</summary>
public class OutboxMessage
{
    public long Id { get; set; }
    public long? ScheduledMessageId { get; set; }
    public MessageChannel Channel { get; set; }
    public string Recipient { get; set; } = "";
    public string? Subject { get; set; }
    public string Body { get; set; } = "";
    public DateTime SentAt { get; set; }
    public string IdempotencyKey { get; set; } = "";
}

internal sealed class ScheduledMessageConfiguration : IEntityTypeConfiguration<ScheduledMessage>
{
    public void Configure(EntityTypeBuilder<ScheduledMessage> b)
    {
        b.Property(m => m.Channel).HasConversion<string>().HasMaxLength(8);
        b.Property(m => m.State).HasConversion<string>().HasMaxLength(12);
        b.Property(m => m.TriggerStatus).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.CustomSubject).HasMaxLength(200);
        b.Property(m => m.CustomBody).HasMaxLength(10_000);
        b.Property(m => m.Recipient).HasMaxLength(254);
        b.Property(m => m.Subject).HasMaxLength(200);
        b.Property(m => m.Body).HasMaxLength(10_000);
        b.Property(m => m.CreatedBy).HasMaxLength(100);
        b.Property(m => m.LastError).HasMaxLength(2000);
        b.Property(m => m.SkipReason).HasMaxLength(500);
        b.Property(m => m.IdempotencyKey).HasMaxLength(200).IsRequired();
        b.Property(m => m.ClaimToken).HasMaxLength(64);
        b.Property(m => m.ProviderMessageId).HasMaxLength(200);
        b.HasIndex(m => m.IdempotencyKey).IsUnique();
        b.HasIndex(m => new { m.State, m.DueAt });
        b.HasIndex(m => new { m.SurveyRecordId, m.State });
        b.HasIndex(m => new { m.CustomerId, m.CreatedAt });
        b.HasOne(m => m.Template).WithMany().HasForeignKey(m => m.TemplateId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<SurveyRecord>().WithMany().HasForeignKey(m => m.SurveyRecordId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.Property(m => m.Channel).HasConversion<string>().HasMaxLength(8);
        b.Property(m => m.Recipient).HasMaxLength(254).IsRequired();
        b.Property(m => m.Subject).HasMaxLength(200);
        b.Property(m => m.Body).HasMaxLength(10_000).IsRequired();
        b.Property(m => m.IdempotencyKey).HasMaxLength(200).IsRequired();
        b.HasIndex(m => m.IdempotencyKey).IsUnique();
        b.HasIndex(m => m.SentAt);
    }
}
