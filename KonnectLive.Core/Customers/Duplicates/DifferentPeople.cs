using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Customers.Duplicates;

/// <summary>
/// An admin's answer "Different people" to a possible duplicate: the two customers are not offered as a pair again.
/// Stored once per pair, the lower customer id first.
/// </summary>
public class DifferentPeople
{
    public long Id { get; set; }
    public int DealershipId { get; set; }
    public int LowerCustomerId { get; set; }
    public int HigherCustomerId { get; set; }
    public DateTime DecidedAt { get; set; }
    public string DecidedById { get; set; } = "";
    public string DecidedByName { get; set; } = "";

    public static DifferentPeople Of(int dealershipId, int a, int b, string byId, string byName, DateTime at) => new()
    {
        DealershipId = dealershipId, LowerCustomerId = Math.Min(a, b), HigherCustomerId = Math.Max(a, b),
        DecidedById = byId, DecidedByName = byName, DecidedAt = at,
    };
}

internal sealed class DifferentPeopleConfiguration : IEntityTypeConfiguration<DifferentPeople>
{
    public void Configure(EntityTypeBuilder<DifferentPeople> b)
    {
        b.Property(d => d.DecidedById).HasMaxLength(450).IsRequired();
        b.Property(d => d.DecidedByName).HasMaxLength(100).IsRequired();
        b.HasIndex(d => new { d.LowerCustomerId, d.HigherCustomerId }).IsUnique();
        b.HasIndex(d => d.HigherCustomerId);
        b.HasIndex(d => d.DealershipId);
        b.HasOne<Customer>().WithMany().HasForeignKey(d => d.LowerCustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Customer>().WithMany().HasForeignKey(d => d.HigherCustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Dealerships.Dealership>().WithMany().HasForeignKey(d => d.DealershipId).OnDelete(DeleteBehavior.Restrict);
    }
}
