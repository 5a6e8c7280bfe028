using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Messaging;

public enum MessageChannel { Sms, Email }

/// <summary>An SMS or email with placeholders such as {CustomerName}; edited by admins.</summary>
public class MessageTemplate
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public MessageChannel Channel { get; set; }
    /// <summary>Email only.</summary>
    public string? Subject { get; set; }
    public string Body { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> b)
    {
        b.Property(t => t.Name).HasMaxLength(100).IsRequired();
        b.Property(t => t.Channel).HasConversion<string>().HasMaxLength(8);
        b.Property(t => t.Subject).HasMaxLength(200);
        b.Property(t => t.Body).HasMaxLength(10_000).IsRequired();
        b.Property(t => t.UpdatedBy).HasMaxLength(100);
        b.HasIndex(t => t.Name).IsUnique();
    }
}
