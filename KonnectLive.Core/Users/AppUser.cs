using KonnectLive.Core.Dealerships;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Users;

/// <summary>A person who signs in. Belongs to one dealership, or to head office when <see cref="DealershipId"/> is null.</summary>
public class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public int? DealershipId { get; set; }
    public Dealership? Dealership { get; set; }
    /// <summary>Only CSI-Voice-enabled users get the chase list and may lock customers.</summary>
    public bool CsiVoiceEnabled { get; set; }
    public bool IsHeadOffice => DealershipId is null;
    /// <summary>The agent's phone extension: call events naming it reach this user (screen pop, call legs, click-to-dial).</summary>
    public string? Extension { get; set; }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(100).IsRequired();
        b.Property(u => u.Extension).HasMaxLength(20);
        b.HasIndex(u => u.Extension).IsUnique();
        b.HasOne(u => u.Dealership).WithMany().HasForeignKey(u => u.DealershipId).OnDelete(DeleteBehavior.Restrict);
    }
}
