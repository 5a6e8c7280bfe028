using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>
/// A decline reason as Configuration → Decline Reasons lists it, with how many declined calls gave it.
/// <paramref name="CreatedBy"/> is who added it (for a proposal, the agent who proposed it).
/// </summary>
public sealed record DeclineReasonRow(int Id, string Name, int SortOrder, bool IsActive, int Uses, DateTime CreatedAt, string? CreatedBy,
    DeclineReasonStatus Status = DeclineReasonStatus.Approved)
{
    public bool IsProposal => Status == DeclineReasonStatus.Proposed;
}

/// <summary>
/// Decline reasons: the list the calling page offers an agent, and adding one with "+"; and for admins (Configuration →
/// Decline Reasons) the full list with usage, create, rename, activate/deactivate and reorder, and the agents' proposals to
/// approve (perhaps renamed) or merge into another reason. Reasons are never deleted: declined calls and the declined
/// report point at them.
/// </summary>
public sealed class DeclineReasonService(IDbContextFactory<KonnectDbContext> dbFactory, UserAdminGuard guard, TimeProvider time)
{
    public const int MaxNameLength = 80;
    public const string AdminOnly = "Only administrators can manage decline reasons.";
    private const string Gone = "That decline reason no longer exists. Reload the page.";

    /// <summary>
    /// What the calling page offers <paramref name="user"/>: the active approved reasons in the admins' order, then the
    /// user's own active proposals (another agent's proposal is not offered until an admin approves it).
    /// </summary>
    public async Task<IReadOnlyList<DeclineReasonView>> ListActiveAsync(UserScope user, CancellationToken ct = default)
    {
        var me = user.UserId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DeclineReasons.AsNoTracking()
            .Where(r => r.IsActive && (r.Status == DeclineReasonStatus.Approved || (r.Status == DeclineReasonStatus.Proposed && r.ProposedById == me)))
            .OrderBy(r => r.Status == DeclineReasonStatus.Proposed).ThenBy(r => r.SortOrder).ThenBy(r => r.Name)
            .Select(r => new DeclineReasonView(r.Id, r.Name, r.Status == DeclineReasonStatus.Proposed)).ToListAsync(ct);
    }

    /// <summary>
    /// Adds a reason from the calling page (agents who may call, and admins). An agent's new reason is a proposal: usable
    /// by them at once, offered to nobody else until an admin approves it; an admin's is approved. A name that already
    /// exists, in any letter case, is not duplicated: that reason is returned (a merged one leads to the reason it was
    /// merged into; another agent's proposal is returned for this call, still a proposal). One an admin retired is refused
    /// for agents (an agent's "+" must not quietly undo an admin's decision); an admin's "+" brings it back, approved.
    /// </summary>
    public async Task<DeclineReasonView> AddAsync(UserScope user, string name, CancellationToken ct = default)
    {
        var isAdmin = user.IsInRole(Roles.Admin);
        if (!user.CanCall && !isAdmin) throw new DomainException("Only agents enabled for CSI Voice and admins may add decline reasons.");
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0) throw new DomainException("Enter the reason the customer gave.");
        if (trimmed.Length > MaxNameLength) throw new DomainException($"A decline reason can be at most {MaxNameLength} characters.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lower = trimmed.ToLower();
        var existing = await db.DeclineReasons.FirstOrDefaultAsync(r => r.Name.ToLower() == lower, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (existing is not null)
        {
            existing = await FollowMergesAsync(db, existing, ct);
            var changed = false;
            if (!existing.IsActive)
            {
                if (!isAdmin)
                    throw new DomainException($"“{existing.Name}” was retired by an admin, so it cannot be chosen. Pick another reason, or ask an admin to bring it back.");
                existing.IsActive = true;
                AuditLog.Add(db, now, user, "declinereason.activated", nameof(DeclineReason), existing.Id.ToString(), existing.Name);
                changed = true;
            }
            if (isAdmin && existing.Status == DeclineReasonStatus.Proposed)
            {
                existing.Status = DeclineReasonStatus.Approved;
                existing.SortOrder = await NextApprovedOrderAsync(db, ct);
                AuditLog.Add(db, now, user, "declinereason.approved", nameof(DeclineReason), existing.Id.ToString(),
                    $"Approved decline reason '{existing.Name}' (proposed by {existing.CreatedBy ?? "an agent"}) by adding it.");
                changed = true;
            }
            if (changed) await db.SaveChangesAsync(ct);
            return new(existing.Id, existing.Name, existing.Status == DeclineReasonStatus.Proposed);
        }
        var order = await db.DeclineReasons.Select(r => (int?)r.SortOrder).MaxAsync(ct) ?? 0;
        var reason = new DeclineReason
        {
            Name = trimmed, SortOrder = order + 10, CreatedAt = now, CreatedBy = Truncate(user.DisplayName, 100),
            Status = isAdmin ? DeclineReasonStatus.Approved : DeclineReasonStatus.Proposed,
            ProposedById = isAdmin ? null : user.UserId,
        };
        db.DeclineReasons.Add(reason);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, now, user, isAdmin ? "declinereason.created" : "declinereason.proposed", nameof(DeclineReason), reason.Id.ToString(), trimmed);
        await db.SaveChangesAsync(ct);
        return new(reason.Id, reason.Name, reason.Status == DeclineReasonStatus.Proposed);
    }

    /// <summary>
    /// Every reason an admin manages, with how many calls recorded it: the agents' proposals first (oldest first), then
    /// the approved reasons in the calling page's order. Merged proposals are gone from the list (their calls moved).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The caller is not an enabled admin.</exception>
    public async Task<IReadOnlyList<DeclineReasonRow>> ListAllAsync(UserScope? by, CancellationToken ct = default)
    {
        _ = await guard.AdminAsync(by, ct) ?? throw new UnauthorizedAccessException(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DeclineReasons.AsNoTracking().Where(r => r.Status != DeclineReasonStatus.Merged)
            .Select(r => new DeclineReasonRow(r.Id, r.Name, r.SortOrder, r.IsActive, db.CallAttempts.Count(a => a.DeclineReasonId == r.Id),
                r.CreatedAt, r.CreatedBy, r.Status))
            .ToListAsync(ct);
        return [.. rows.Where(r => r.IsProposal).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
            .. rows.Where(r => !r.IsProposal).OrderBy(r => r.SortOrder).ThenBy(r => r.Name, StringComparer.Ordinal)];
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
        var reason = new DeclineReason { Name = trimmed, SortOrder = await NextApprovedOrderAsync(db, ct), CreatedAt = now, CreatedBy = Truncate(admin.DisplayName, 100) };
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
        var reason = await db.DeclineReasons.SingleOrDefaultAsync(r => r.Id == reasonId && r.Status != DeclineReasonStatus.Merged, ct);
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
        var reason = await db.DeclineReasons.SingleOrDefaultAsync(r => r.Id == reasonId && r.Status != DeclineReasonStatus.Merged, ct);
        if (reason is null) return CallingAdminResult.NotFound(Gone);
        if (reason.IsActive == active)
            return CallingAdminResult.Unchanged($"“{reason.Name}” is already {(active ? "active" : "inactive")}.", reason.Id);

        reason.IsActive = active;
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, admin, active ? "declinereason.activated" : "declinereason.deactivated",
            nameof(DeclineReason), reason.Id.ToString(), $"{(active ? "Activated" : "Deactivated")} decline reason '{reason.Name}'.");
        await db.SaveChangesAsync(ct);
        return CallingAdminResult.Done($"“{reason.Name}” {(active ? "activated" : "deactivated")}.", reason.Id);
    }

    /// <summary>
    /// Swaps an approved reason with its neighbour above (-1) or below (+1) among the approved reasons (the calling page's
    /// order; proposals are listed apart); their sort orders are renumbered 10, 20, … so ties vanish.
    /// </summary>
    public async Task<CallingAdminResult> MoveAsync(UserScope? by, int reasonId, int direction, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reasons = await db.DeclineReasons.Where(r => r.Status == DeclineReasonStatus.Approved).OrderBy(r => r.SortOrder).ThenBy(r => r.Name).ToListAsync(ct);
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

    /// <summary>
    /// Approves an agent's proposal, so every agent is offered it, placed last among the approved reasons. With a
    /// <paramref name="name"/> it is renamed first (past calls that gave it follow: they point at it).
    /// </summary>
    public async Task<CallingAdminResult> ApproveAsync(UserScope? by, int reasonId, string? name = null, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);
        if (name is not null && NameError(name) is { } error) return CallingAdminResult.Invalid("Name", error);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reason = await db.DeclineReasons.SingleOrDefaultAsync(r => r.Id == reasonId && r.Status != DeclineReasonStatus.Merged, ct);
        if (reason is null) return CallingAdminResult.NotFound(Gone);
        if (reason.Status != DeclineReasonStatus.Proposed) return CallingAdminResult.Unchanged($"“{reason.Name}” is already approved.", reason.Id);
        var proposed = reason.Name;
        var trimmed = name?.Trim() ?? proposed;
        if (trimmed != proposed && await FindByNameAsync(db, trimmed, exceptId: reasonId, ct) is { } existing) return NameTaken(existing);

        reason.Name = trimmed;
        reason.Status = DeclineReasonStatus.Approved;
        reason.SortOrder = await NextApprovedOrderAsync(db, ct);
        var renamed = trimmed == proposed ? "" : $" as '{trimmed}'";
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, admin, "declinereason.approved", nameof(DeclineReason), reason.Id.ToString(),
            $"Approved decline reason '{proposed}'{renamed}, proposed by {reason.CreatedBy ?? "an agent"}.");
        if (!await TrySaveAsync(db, ct)) return CallingAdminResult.Invalid("Name", $"A decline reason called '{trimmed}' already exists.");
        return CallingAdminResult.Done(trimmed == proposed
            ? $"“{trimmed}” approved: every agent can choose it now."
            : $"“{proposed}” approved as “{trimmed}”: every agent can choose it now.", reason.Id);
    }

    /// <summary>
    /// Merges an agent's proposal into an active approved reason: the declined calls that gave the proposal now give the
    /// other reason (so the declined report counts them there), in one transaction with the audit entry. The proposal
    /// is kept, inactive and out of the lists, so typing its name later leads to the reason it was merged into.
    /// </summary>
    public async Task<CallingAdminResult> MergeAsync(UserScope? by, int proposalId, int intoId, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var proposal = await db.DeclineReasons.SingleOrDefaultAsync(r => r.Id == proposalId && r.Status != DeclineReasonStatus.Merged, ct);
        if (proposal is null) return CallingAdminResult.NotFound(Gone);
        if (proposal.Status != DeclineReasonStatus.Proposed)
            return CallingAdminResult.Refused($"“{proposal.Name}” is an approved reason; only agents' proposals can be merged.");
        var into = await db.DeclineReasons.AsNoTracking().SingleOrDefaultAsync(r => r.Id == intoId, ct);
        if (into is null || intoId == proposalId || into.Status != DeclineReasonStatus.Approved || !into.IsActive)
            return CallingAdminResult.Invalid("Into", "Choose an active, approved reason to merge into.");

        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.CallAttempts.Where(a => a.DeclineReasonId == proposalId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.DeclineReasonId, intoId), ct);
        proposal.Status = DeclineReasonStatus.Merged;
        proposal.IsActive = false;
        proposal.MergedIntoId = intoId;
        AuditLog.Add(db, now, admin, "declinereason.merged", nameof(DeclineReason), proposal.Id.ToString(),
            $"Merged proposed decline reason '{proposal.Name}' (proposed by {proposal.CreatedBy ?? "an agent"}) into '{into.Name}': " +
            $"{Wording.Plural(moved, "declined call")} moved.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return CallingAdminResult.Done($"“{proposal.Name}” merged into “{into.Name}”; {Wording.Plural(moved, "declined call")} moved.", into.Id);
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
        $"A decline reason called '{existing.Name}' already exists" + existing switch
        {
            { Status: DeclineReasonStatus.Merged } => " (a proposal merged into another reason).",
            { Status: DeclineReasonStatus.Proposed } => " (an agent's proposal: approve it instead).",
            { IsActive: false } => " (inactive: activate it instead).",
            _ => ".",
        });

    /// <summary>Sort order placing a reason last among the approved ones.</summary>
    private static async Task<int> NextApprovedOrderAsync(KonnectDbContext db, CancellationToken ct) =>
        (await db.DeclineReasons.Where(r => r.Status == DeclineReasonStatus.Approved).MaxAsync(r => (int?)r.SortOrder, ct) ?? 0) + 10;

    /// <summary>A merged proposal stands for the reason it was merged into (a few hops at most, in case that one was merged too).</summary>
    private static async Task<DeclineReason> FollowMergesAsync(KonnectDbContext db, DeclineReason reason, CancellationToken ct)
    {
        for (var hops = 0; reason.Status == DeclineReasonStatus.Merged && reason.MergedIntoId is { } next && hops < 5; hops++)
            reason = await db.DeclineReasons.SingleAsync(r => r.Id == next, ct);
        return reason;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>The unique index on Name is the backstop when two admins take the same name at once.</summary>
    private static async Task<bool> TrySaveAsync(KonnectDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return false;
        }
    }
}
