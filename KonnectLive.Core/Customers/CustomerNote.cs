using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Customers;

/// <summary>A note on a customer. Anyone who may see the customer reads it; only its author edits or deletes it.</summary>
public class CustomerNote
{
    public long Id { get; set; }
    public int CustomerId { get; set; }
    public string AuthorId { get; set; } = "";
    public string AuthorName { get; set; } = "";
    public string Text { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? EditedAt { get; set; }
    /// <summary>The call the note was written on, if any.</summary>
    public long? CallAttemptId { get; set; }
}

public enum CustomFieldType { Text, Number, Date, YesNo, Choice }

/// <summary>An admin-defined attribute shown and edited on the customer and calling pages.</summary>
public class CustomFieldDefinition
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public CustomFieldType Type { get; set; }
    /// <summary>For Choice fields: the allowed values, one per line.</summary>
    public string? Choices { get; set; }
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
}

/// <summary>One customer's value for one custom field, stored as invariant text (dates yyyy-MM-dd, numbers with '.').</summary>
public class CustomFieldValue
{
    public long Id { get; set; }
    public int CustomerId { get; set; }
    public int DefinitionId { get; set; }
    public CustomFieldDefinition Definition { get; set; } = null!;
    public string Value { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class CustomerNoteConfiguration : IEntityTypeConfiguration<CustomerNote>
{
    public void Configure(EntityTypeBuilder<CustomerNote> b)
    {
        b.Property(n => n.AuthorId).HasMaxLength(450).IsRequired();
        b.Property(n => n.AuthorName).HasMaxLength(100).IsRequired();
        b.Property(n => n.Text).HasMaxLength(4000).IsRequired();
        b.HasIndex(n => new { n.CustomerId, n.CreatedAt });
        b.HasOne<Customer>().WithMany().HasForeignKey(n => n.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomFieldDefinitionConfiguration : IEntityTypeConfiguration<CustomFieldDefinition>
{
    public void Configure(EntityTypeBuilder<CustomFieldDefinition> b)
    {
        b.Property(d => d.Name).HasMaxLength(80).IsRequired();
        b.Property(d => d.Type).HasConversion<string>().HasMaxLength(12);
        b.Property(d => d.Choices).HasMaxLength(4000);
        b.HasIndex(d => d.Name).IsUnique();
    }
}

internal sealed class CustomFieldValueConfiguration : IEntityTypeConfiguration<CustomFieldValue>
{
    public void Configure(EntityTypeBuilder<CustomFieldValue> b)
    {
        b.Property(v => v.Value).HasMaxLength(1000).IsRequired();
        b.Property(v => v.UpdatedBy).HasMaxLength(100);
        b.HasIndex(v => new { v.CustomerId, v.DefinitionId }).IsUnique();
        b.HasOne(v => v.Definition).WithMany().HasForeignKey(v => v.DefinitionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Customer>().WithMany().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
