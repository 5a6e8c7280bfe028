using KonnectLive.Core.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Requests;

/// <summary>
/// An admin-defined kind of request (complaint, information, service booking) with its own typed fields
/// (Configuration → Request Types). Never deleted once a request uses it: it is deactivated instead, so the history
/// and the reports keep its name.
/// </summary>
public class RequestType
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public bool IsActive { get; set; } = true;
    public List<RequestField> Fields { get; set; } = [];
}

/// <summary>One field of a request type. The same types and value rules as customer fields (<see cref="Customers.Fields.CustomFieldValues"/>).</summary>
public class RequestField
{
    public int Id { get; set; }
    public int RequestTypeId { get; set; }
    public string Name { get; set; } = "";
    public CustomFieldType Type { get; set; }
    /// <summary>For Choice fields: the allowed values, one per line.</summary>
    public string? Choices { get; set; }
    public bool IsRequired { get; set; }
    public bool IsActive { get; set; } = true;
    public int SortOrder { get; set; }
}

public enum RequestStatus { Draft, Saved }

/// <summary>
/// A request raised for a customer on an interaction. It belongs to the customer (and their dealership) and to the
/// interaction it was raised in: the phone system's call leg of the agent's call in progress (<see cref="CallLegId"/>),
/// and the outcome the agent records for that customer (<see cref="CallAttemptId"/>, set when the outcome is recorded,
/// whichever came first). Neither set: it stands on its own in the history until an outcome joins it.
/// A <see cref="RequestStatus.Draft"/> holds what the agent typed, unchecked, so nothing is lost; saving checks it.
/// </summary>
public class CustomerRequest
{
    public long Id { get; set; }
    public int RequestTypeId { get; set; }
    public RequestType RequestType { get; set; } = null!;
    public int CustomerId { get; set; }
    public int DealershipId { get; set; }
    /// <summary>The chase-list record the calling page had open when it was raised, if any.</summary>
    public int? SurveyRecordId { get; set; }
    public long? CallAttemptId { get; set; }
    public long? CallLegId { get; set; }
    public RequestStatus Status { get; set; }
    public string RaisedById { get; set; } = "";
    public string RaisedByName { get; set; } = "";
    public DateTime RaisedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
    /// <summary>Set when the customer was erased: the values are gone, the type and the counts stay.</summary>
    public DateTime? ErasedAt { get; set; }
    public List<CustomerRequestValue> Values { get; set; } = [];
}

/// <summary>One field's value: invariant text for a saved request (as custom fields store it), the text as typed for a draft.</summary>
public class CustomerRequestValue
{
    public long Id { get; set; }
    public long CustomerRequestId { get; set; }
    public int RequestFieldId { get; set; }
    public string Value { get; set; } = "";
}

internal sealed class RequestTypeConfiguration : IEntityTypeConfiguration<RequestType>
{
    public void Configure(EntityTypeBuilder<RequestType> b)
    {
        b.Property(t => t.Name).HasMaxLength(RequestTypeInput.MaxNameLength).IsRequired();
        b.Property(t => t.Description).HasMaxLength(RequestTypeInput.MaxDescriptionLength);
        b.HasIndex(t => t.Name).IsUnique();
        b.HasMany(t => t.Fields).WithOne().HasForeignKey(f => f.RequestTypeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RequestFieldConfiguration : IEntityTypeConfiguration<RequestField>
{
    public void Configure(EntityTypeBuilder<RequestField> b)
    {
        b.Property(f => f.Name).HasMaxLength(RequestTypeInput.MaxNameLength).IsRequired();
        b.Property(f => f.Type).HasConversion<string>().HasMaxLength(12);
        b.Property(f => f.Choices).HasMaxLength(4000);
        b.HasIndex(f => new { f.RequestTypeId, f.Name }).IsUnique();
    }
}

internal sealed class CustomerRequestConfiguration : IEntityTypeConfiguration<CustomerRequest>
{
    public void Configure(EntityTypeBuilder<CustomerRequest> b)
    {
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(12);
        b.Property(r => r.RaisedById).HasMaxLength(450).IsRequired();
        b.Property(r => r.RaisedByName).HasMaxLength(100).IsRequired();
        b.Property(r => r.UpdatedBy).HasMaxLength(100).IsRequired();
        b.HasOne(r => r.RequestType).WithMany().HasForeignKey(r => r.RequestTypeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Calling.CallAttempt>().WithMany().HasForeignKey(r => r.CallAttemptId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Telephony.CallLeg>().WithMany().HasForeignKey(r => r.CallLegId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(r => r.Values).WithOne().HasForeignKey(v => v.CustomerRequestId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.CustomerId, r.RaisedAt });
        b.HasIndex(r => r.CallAttemptId);
        b.HasIndex(r => r.CallLegId);
        b.HasIndex(r => new { r.DealershipId, r.RaisedAt });
    }
}

internal sealed class CustomerRequestValueConfiguration : IEntityTypeConfiguration<CustomerRequestValue>
{
    public void Configure(EntityTypeBuilder<CustomerRequestValue> b)
    {
        b.Property(v => v.Value).HasMaxLength(Customers.Fields.CustomFieldValues.MaxTextLength).IsRequired();
        b.HasIndex(v => new { v.CustomerRequestId, v.RequestFieldId }).IsUnique();
        b.HasOne<RequestField>().WithMany().HasForeignKey(v => v.RequestFieldId).OnDelete(DeleteBehavior.Restrict);
    }
}
