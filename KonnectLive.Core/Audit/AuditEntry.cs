using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Audit;

/// <summary>Who did what, when. Written alongside the change it describes; never edited or deleted by the app.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    /// <summary>The user, or null for the system (FOCUS ingest, the dispatcher).</summary>
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    /// <summary>A stable dotted name, e.g. <c>settings.csi.updated</c>, <c>apiclient.rotated</c>.</summary>
    public string Action { get; set; } = "";
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public int? CustomerId { get; set; }
    public string? Details { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.UserId).HasMaxLength(450);
        b.Property(a => a.UserName).HasMaxLength(100);
        b.Property(a => a.Action).HasMaxLength(64).IsRequired();
        b.Property(a => a.EntityType).HasMaxLength(64);
        b.Property(a => a.EntityId).HasMaxLength(64);
        b.Property(a => a.Details).HasMaxLength(4000);
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.Action, a.At });
        b.HasIndex(a => new { a.CustomerId, a.At });
    }
}

/// <summary>Adds audit entries to the caller's DbContext, so they commit (or not) with the change itself.</summary>
public static class AuditLog
{
    public static void Add(Data.KonnectDbContext db, DateTime at, Users.UserScope? by, string action, string? entityType = null,
        string? entityId = null, string? details = null, int? customerId = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at, UserId = by?.UserId, UserName = by?.DisplayName ?? "system", Action = action,
            EntityType = entityType, EntityId = entityId, Details = details is { Length: > 4000 } ? details[..4000] : details,
            CustomerId = customerId,
        });
}
