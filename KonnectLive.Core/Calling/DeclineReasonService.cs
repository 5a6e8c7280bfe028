using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>Decline reasons: the active list for the calling page, and adding one with "+".</summary>
public sealed class DeclineReasonService(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    public const int MaxNameLength = 80;

    public async Task<IReadOnlyList<DeclineReasonView>> ListActiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DeclineReasons.AsNoTracking().Where(r => r.IsActive)
            .OrderBy(r => r.SortOrder).ThenBy(r => r.Name)
            .Select(r => new DeclineReasonView(r.Id, r.Name)).ToListAsync(ct);
    }

    /// <summary>
    /// Adds a reason from the calling page (agents who may call, and admins). A name that already exists, in any
    /// letter case, is not duplicated: that reason is returned, and reactivated if an admin had retired it.
    /// </summary>
    public async Task<DeclineReasonView> AddAsync(UserScope user, string name, CancellationToken ct = default)
    {
        if (!user.CanCall && !user.IsInRole(Roles.Admin)) throw new DomainException("Only agents enabled for CSI Voice and admins may add decline reasons.");
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0) throw new DomainException("Enter the reason the customer gave.");
        if (trimmed.Length > MaxNameLength) throw new DomainException($"A decline reason can be at most {MaxNameLength} characters.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lower = trimmed.ToLower();
        var existing = await db.DeclineReasons.FirstOrDefaultAsync(r => r.Name.ToLower() == lower, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (existing is not null)
        {
            if (!existing.IsActive)
            {
                existing.IsActive = true;
                AuditLog.Add(db, now, user, "declinereason.activated", nameof(DeclineReason), existing.Id.ToString(), existing.Name);
                await db.SaveChangesAsync(ct);
            }
            return new(existing.Id, existing.Name);
        }
        var order = await db.DeclineReasons.Select(r => (int?)r.SortOrder).MaxAsync(ct) ?? 0;
        var reason = new DeclineReason { Name = trimmed, SortOrder = order + 10, CreatedAt = now, CreatedBy = user.DisplayName };
        db.DeclineReasons.Add(reason);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, now, user, "declinereason.created", nameof(DeclineReason), reason.Id.ToString(), trimmed);
        await db.SaveChangesAsync(ct);
        return new(reason.Id, reason.Name);
    }
}
