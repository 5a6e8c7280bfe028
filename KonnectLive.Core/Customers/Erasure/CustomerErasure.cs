using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Customers.Erasure;

/// <summary>
/// The trace an erasure leaves: enough to recognise FOCUS re-sending the erased person (<see cref="ErasedRecordFilter"/>), and
/// nothing that says who they were — FOCUS's customer id only as a SHA-256 hash, the newest event date we held for them.
/// </summary>
public class CustomerErasure
{
    public long Id { get; set; }
    public int DealershipId { get; set; }
    /// <summary>The anonymised customer row (kept so call and survey counts stay in the reports).</summary>
    public int CustomerId { get; set; }
    public DateTime ErasedAt { get; set; }
    public string ErasedBy { get; set; } = "";
    /// <summary>SHA-256 (hex) of FOCUS's customer id, when FOCUS had sent one.</summary>
    public string? FocusCustomerIdHash { get; set; }
    /// <summary>The newest event date among the customer's survey records when erased: only a later event is a new record.</summary>
    public DateTime? LatestEventDate { get; set; }
}

internal sealed class CustomerErasureConfiguration : IEntityTypeConfiguration<CustomerErasure>
{
    public void Configure(EntityTypeBuilder<CustomerErasure> b)
    {
        b.Property(e => e.ErasedBy).HasMaxLength(100).IsRequired();
        b.Property(e => e.FocusCustomerIdHash).HasMaxLength(64);
        b.HasIndex(e => new { e.DealershipId, e.FocusCustomerIdHash });
        b.HasIndex(e => e.CustomerId);
    }
}
