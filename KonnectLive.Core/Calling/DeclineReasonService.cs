using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>A decline reason as Configuration → Decline Reasons lists it, with how many declined calls gave it.</summary>
public sealed record DeclineReasonRow(int Id, string Name, int SortOrder, bool IsActive, int Uses, DateTime CreatedAt, string? CreatedBy);

/// <summary>
/// Decline reasons: the active list for the calling page, and adding one with "+"; and for admins (Configuration →
/// Decline Reasons) the full list with usage, create, rename, activate/deactivate and reorder. Reasons are never
/// deleted: declined calls and the declined report point at them.
/// </summary>
public sealed class DeclineReasonService(IDbContextFactory<KonnectDbContext> dbFactory, UserAdminGuard guard, TimeProvider time)
{
    public const int MaxNameLength = 80;
    public const string AdminOnly = "Only administrators can manage decline reasons.";
    private const string Gone = "That decline reason no longer exists. Reload the page.";

    public async Task<IReadOnlyList<DeclineReasonView>> ListActiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DeclineReasons.AsNoTracking().Where(r => r.IsActive)
            .OrderBy(r => r.SortOrder).ThenBy(r => r.Name)
            .Select(r => new DeclineReasonView(r.Id, r.Name)).ToListAsync(ct);
    }

    /// <summary>
    /// Adds a reason from the calling page (agents who may call, and admins). A name that already exists, in any
    /// letter case, is not duplicated: that reason is returned. One an admin retired is refused for agents (an agent's
    /// "+" must not quietly undo an admin's decision); an admin's "+" brings it back.
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
                if (!user.IsInRole(Roles.Admin))
                    throw new DomainException($"“{existing.Name}” was retired by an admin, so it cannot be chosen. Pick another reason, or ask an admin to bring it back.");
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

    /// <summary>Every reason, active or not, in the calling page's order, with how many calls recorded it.</summary>
    /// <exception cref="UnauthorizedAccessException">The caller is not an enabled admin.</exception>
    public async Task<IReadOnlyList<DeclineReasonRow>> ListAllAsync(UserScope? by, CancellationToken ct = default)
    {
        _ = await guard.AdminAsync(by, ct) ?? throw new UnauthorizedAccessException(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DeclineReasons.AsNoTracking().OrderBy(r => r.SortOrder).ThenBy(r => r.Name)
            .Select(r => new DeclineReasonRow(r.Id, r.Name, r.SortOrder, r.IsActive, db.CallAttempts.Count(a => a.DeclineReasonId == r.Id), r.CreatedAt, r.CreatedBy))
            .ToListAsync(ct);
    }

    /// <summary>Adds a reason, active and placed last. Unlike <see cref="AddAsync"/>, an existing name is refused with a message.</summary>
    public async Task<CallingAdminResult> CreateAsync(UserScope? by, string name, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);
        if (NameError(name) is { } error) return CallingAdminResult.Invalid("Name", error);
        var trimmed = name.Trim();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await FindByNameAsync(db, trimmed, exceptId: null, ct) is { } existing) return NameTaken(existing);
        var now = time.GetUtcNow().UtcDateTime;
        var last = await db.DeclineReasons.MaxAsync(r => (int?)r.SortOrder, ct) ?? 0;
        var reason = new DeclineReason { Name = trimmed, SortOrder = last + 10, CreatedAt = now, CreatedBy = Truncate(admin.DisplayName, 100) };
        db.DeclineReasons.Add(reason);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await TrySaveAsync(db, ct)) return CallingAdminResult.Invalid("Name", $"A decline reason called '{trimmed}' already exists.");
        AuditLog.Add(db, now, admin, "declinereason.created", nameof(DeclineReason), reason.Id.ToString(), $"Created decline reason '{trimmed}'.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return CallingAdminResult.Done($"Decline reason “{trimmed}” added.", reason.Id);
    }

    /// <summary>Renames a reason everywhere, past declined calls included (they point at it). A change of letter case alone is allowed.</summary>
    public async Task<CallingAdminResult> RenameAsync(UserScope? by, int reasonId, string name, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);
        if (NameError(name) is { } error) return CallingAdminResult.Invalid("Name", error);
        var trimmed = name.Trim();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reason = await db.DeclineReasons.SingleOrDefaultAsync(r => r.Id == reasonId, ct);
        if (reason is null) return CallingAdminResult.NotFound(Gone);
        if (reason.Name == trimmed) return CallingAdminResult.Unchanged("Nothing to save: the name is the same.", reason.Id);
        if (await FindByNameAsync(db, trimmed, exceptId: reasonId, ct) is { } existing) return NameTaken(existing);

        var old = reason.Name;
        reason.Name = trimmed;
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, admin, "declinereason.renamed", nameof(DeclineReason), reason.Id.ToString(),
            $"Renamed decline reason '{old}' → '{trimmed}'.");
        if (!await TrySaveAsync(db, ct)) return CallingAdminResult.Invalid("Name", $"A decline reason called '{trimmed}' already exists.");
        return CallingAdminResult.Done($"Renamed “{old}” to “{trimmed}”.", reason.Id);
    }

    /// <summary>An inactive reason is no longer offered on the calling page; declined calls that gave it keep it, and the report still counts them.</summary>
    public async Task<CallingAdminResult> SetActiveAsync(UserScope? by, int reasonId, bool active, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reason = await db.DeclineReasons.SingleOrDefaultAsync(r => r.Id == reasonId, ct);
        if (reason is null) return CallingAdminResult.NotFound(Gone);
        if (reason.IsActive == active)
            return CallingAdminResult.Unchanged($"“{reason.Name}” is already {(active ? "active" : "inactive")}.", reason.Id);

        reason.IsActive = active;
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, admin, active ? "declinereason.activated" : "declinereason.deactivated",
            nameof(DeclineReason), reason.Id.ToString(), $"{(active ? "Activated" : "Deactivated")} decline reason '{reason.Name}'.");
        await db.SaveChangesAsync(ct);
        return CallingAdminResult.Done($"“{reason.Name}” {(active ? "activated" : "deactivated")}.", reason.Id);
    }

    /// <summary>Swaps the reason with its neighbour above (-1) or below (+1); sort orders are renumbered 10, 20, … so ties vanish.</summary>
    public async Task<CallingAdminResult> MoveAsync(UserScope? by, int reasonId, int direction, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reasons = await db.DeclineReasons.OrderBy(r => r.SortOrder).ThenBy(r => r.Name).ToListAsync(ct);
        var index = reasons.FindIndex(r => r.Id == reasonId);
        if (index < 0) return CallingAdminResult.NotFound(Gone);
        if (ListOrder.Move(reasons, index, direction, (item, order) => item.SortOrder = order) is not { } target)
            return CallingAdminResult.Unchanged($"“{reasons[index].Name}” is already {(direction < 0 ? "first" : "last")}.", reasonId);
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, admin, "declinereason.reordered", nameof(DeclineReason), reasonId.ToString(),
            $"Moved decline reason '{reasons[target].Name}' {(direction < 0 ? "up" : "down")} to position {target + 1}, " +
            $"{(direction < 0 ? "above" : "below")} '{reasons[index].Name}'.");
        await db.SaveChangesAsync(ct);
        return CallingAdminResult.Done($"“{reasons[target].Name}” moved {(direction < 0 ? "up" : "down")}.", reasonId);
    }

    private static string? NameError(string? name)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0) return "Enter the reason's name.";
        if (trimmed.Length > MaxNameLength) return $"A decline reason can be at most {MaxNameLength} characters.";
        return null;
    }

    // SQLite's lower() folds ASCII only; the list is short, so compare in .NET with the invariant culture's rules.
    private static async Task<DeclineReason?> FindByNameAsync(KonnectDbContext db, string name, int? exceptId, CancellationToken ct)
    {
        var all = await db.DeclineReasons.AsNoTracking().Where(r => r.Id != exceptId).ToListAsync(ct);
        return all.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static CallingAdminResult NameTaken(DeclineReason existing) => CallingAdminResult.Invalid("Name",
        $"A decline reason called '{existing.Name}' already exists{(existing.IsActive ? "" : " (inactive: activate it instead)")}.");

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>The unique index on Name is the backstop when two admins take the same name at once.</summary>
    private static async Task<bool> TrySaveAsync(KonnectDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (e.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 }) // SQLITE_CONSTRAINT
        {
            return false;
        }
    }
}
