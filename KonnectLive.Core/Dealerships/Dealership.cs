using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Dealerships;

public class Dealership
{
    public int Id { get; set; }
    /// <summary>The manufacturer's dealer code, as FOCUS sends it.</summary>
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>IANA time zone, used for sending hours.</summary>
    public string TimeZone { get; set; } = "Europe/London";
    /// <summary>Messages to this dealership's customers go only between these local times.</summary>
    public TimeOnly SendFrom { get; set; } = new(9, 0);
    public TimeOnly SendUntil { get; set; } = new(20, 0);
}

internal sealed class DealershipConfiguration : IEntityTypeConfiguration<Dealership>
{
    public void Configure(EntityTypeBuilder<Dealership> b)
    {
        b.Property(d => d.Code).HasMaxLength(32).IsRequired();
        b.Property(d => d.Name).HasMaxLength(200).IsRequired();
        b.Property(d => d.TimeZone).HasMaxLength(64).IsRequired();
        b.HasIndex(d => d.Code).IsUnique();
    }
}
