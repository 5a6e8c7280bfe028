using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Settings;

/// <summary>Product-wide switches an admin sets in the app (one row, Id 1).</summary>
public class AppSettings
{
    public const int SingletonId = 1;
    public int Id { get; set; } = SingletonId;
    /// <summary>Agents may add and edit contacts (admins always may).</summary>
    public bool AgentsMayEditContacts { get; set; }
    /// <summary>Admins and supervisors must use two-factor sign-in: without it enrolled they reach only the enrolment page.</summary>
    public bool RequireTwoFactorForStaff { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class AppSettingsConfiguration : IEntityTypeConfiguration<AppSettings>
{
    public void Configure(EntityTypeBuilder<AppSettings> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.UpdatedBy).HasMaxLength(100);
    }
}
