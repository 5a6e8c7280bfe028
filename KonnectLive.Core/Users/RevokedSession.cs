using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Users;

/// <summary>
/// A sign-in that has been logged out. Its cookie may still be held somewhere (copied, cached, stolen); while the cookie
/// could still be valid (<see cref="KeepUntil"/>), any request carrying it is refused.
/// </summary>
public class RevokedSession
{
    public string SessionId { get; set; } = "";
    public string UserId { get; set; } = "";
    public DateTime RevokedAt { get; set; }
    /// <summary>After this the cookie has expired on its own, and the row can go.</summary>
    public DateTime KeepUntil { get; set; }
}

internal sealed class RevokedSessionConfiguration : IEntityTypeConfiguration<RevokedSession>
{
    public void Configure(EntityTypeBuilder<RevokedSession> b)
    {
        b.HasKey(s => s.SessionId);
        b.Property(s => s.SessionId).HasMaxLength(64);
        b.Property(s => s.UserId).HasMaxLength(450).IsRequired();
        b.HasIndex(s => s.KeepUntil);
    }
}
