using KonnectLive.Core.Common;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>
/// Configuration → Outcomes: list, add, edit, activate and deactivate, reorder. Outcomes are never deleted (call attempts
/// point at them and reports count them): an admin deactivates one instead. Every method re-reads the acting admin from
/// the database (<see cref="UserAdminGuard"/>), and every change is audited in the same transaction as the change.
/// </summary>
public sealed class OutcomeAdminService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    UserAdminGuard guard,
    OutcomeInputValidator validator,
    TimeProvider time)
{
    public const string CreatedAction = "outcome.created";
    public const string UpdatedAction = "outcome.updated";
    public const string ActivatedAction = "outcome.activated";
    public const string DeactivatedAction = "outcome.deactivated";
    public const string ReorderedAction = "outcome.reordered";
    public const string AdminOnly = "Only administrators can change outcomes.";
    private const string Gone = "That outcome no longer exists. Reload the page.";
    private const string Entity = nameof(CallOutcome);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Every outcome, active or not, in the calling page's order, with how many recorded calls used each.</summary>
    /// <exception cref="UnauthorizedAccessException">The caller is not an enabled admin.</exception>
    public async Task<IReadOnlyList<OutcomeAdminRow>> ListAsync(UserScope? by, CancellationToken ct = default)
    {
        _ = await guard.AdminAsync(by, ct) ?? throw new UnauthorizedAccessException(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var templates = await db.MessageTemplates.AsNoTracking().ToDictionaryAsync(t => t.Id, t => (t.Name, t.IsActive), ct);
        var rows = await db.CallOutcomes.AsNoTracking().OrderBy(o => o.SortOrder).ThenBy(o => o.Id)
            .Select(o => new { Outcome = o, Uses = db.CallAttempts.Count(a => a.OutcomeId == o.Id) })
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var o = r.Outcome;
            (string Name, bool IsActive)? sms = o.NextSmsTemplateId is { } s && templates.TryGetValue(s, out var st) ? st : null;
            (string Name, bool IsActive)? email = o.NextEmailTemplateId is { } e && templates.TryGetValue(e, out var et) ? et : null;
            return new OutcomeAdminRow(o.Id, o.Name, o.Colour, o.SortOrder, o.IsActive, o.Category, o.Behaviour, o.RequiresNote, o.CallbackReserveMinutes,
                o.NextSmsTemplateId, sms?.Name, o.NextEmailTemplateId, email?.Name,
                o.Behaviour == OutcomeBehaviour.WrongNumber && (sms is { IsActive: false } || email is { IsActive: false }), r.Uses);
        }).ToList();
    }

    /// <summary>Every SMS and email template, active first, for Wrong number's next-message pickers.</summary>
    /// <exception cref="UnauthorizedAccessException">The caller is not an enabled admin.</exception>
    public async Task<IReadOnlyList<TemplateChoice>> ListTemplateChoicesAsync(UserScope? by, CancellationToken ct = default)
    {
        _ = await guard.AdminAsync(by, ct) ?? throw new UnauthorizedAccessException(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MessageTemplates.AsNoTracking().OrderByDescending(t => t.IsActive).ThenBy(t => t.Name)
            .Select(t => new TemplateChoice(t.Id, t.Name, t.Channel, t.IsActive)).ToListAsync(ct);
    }

    /// <summary>Adds an outcome, active and placed last.</summary>
    public async Task<CallingAdminResult> CreateAsync(UserScope? by, OutcomeInput input, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);
        if (await ValidateAsync(input, ct) is { } invalid) return invalid;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var last = await db.CallOutcomes.MaxAsync(o => (int?)o.SortOrder, ct) ?? 0;
        var outcome = new CallOutcome { SortOrder = last + 10, IsActive = true };
        Apply(outcome, input);
        db.CallOutcomes.Add(outcome);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await TrySaveAsync(db, ct)) return NameTaken(input);
        AuditLog.Add(db, Now, admin, CreatedAction, Entity, outcome.Id.ToString(), $"Created outcome {await DescribeAsync(db, outcome, ct)}.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return CallingAdminResult.Done($"Outcome “{outcome.Name}” added.", outcome.Id);
    }

    /// <summary>
    /// Changes an outcome. Calls already recorded keep the behaviour they had (<see cref="CallAttempt.Behaviour"/>);
    /// a new name or colour shows everywhere at once.
    /// </summary>
    public async Task<CallingAdminResult> UpdateAsync(UserScope? by, OutcomeInput input, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);
        if (await ValidateAsync(input, ct) is { } invalid) return invalid;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var outcome = await db.CallOutcomes.SingleOrDefaultAsync(o => o.Id == input.Id, ct);
        if (outcome is null) return CallingAdminResult.NotFound(Gone);

        var templateNames = await db.MessageTemplates.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        string Template(int? id) => id is { } i ? $"'{templateNames.GetValueOrDefault(i, $"#{i}")}'" : "none";
        var before = Snapshot(outcome);
        Apply(outcome, input);
        var after = Snapshot(outcome);

        var changes = new List<string>();
        void Compare<T>(string what, T old, T now, Func<T, string> show)
        {
            if (!EqualityComparer<T>.Default.Equals(old, now)) changes.Add($"{what}: {show(old)} → {show(now)}");
        }
        Compare("name", before.Name, after.Name, s => $"'{s}'");
        Compare("colour", before.Colour, after.Colour, s => s);
        Compare("category", before.Category, after.Category, OutcomeText.Category);
        Compare("what it does", before.Behaviour, after.Behaviour, OutcomeText.Behaviour);
        Compare("requires a note", before.RequiresNote, after.RequiresNote, b => b ? "yes" : "no");
        Compare("call-back reserved for", before.CallbackReserveMinutes, after.CallbackReserveMinutes, m => $"{m} min");
        Compare("next SMS", before.NextSmsTemplateId, after.NextSmsTemplateId, Template);
        Compare("next email", before.NextEmailTemplateId, after.NextEmailTemplateId, Template);
        if (changes.Count == 0) return CallingAdminResult.Unchanged("Nothing to save: no changes.", outcome.Id);

        AuditLog.Add(db, Now, admin, UpdatedAction, Entity, outcome.Id.ToString(), $"Updated outcome '{outcome.Name}': {string.Join("; ", changes)}.");
        if (!await TrySaveAsync(db, ct)) return NameTaken(input);
        return CallingAdminResult.Done($"Outcome “{outcome.Name}” saved.", outcome.Id);
    }

    /// <summary>
    /// A deactivated outcome disappears from the calling page; calls recorded with it keep it. The last active outcome
    /// cannot be deactivated: agents could record no call at all.
    /// </summary>
    public async Task<CallingAdminResult> SetActiveAsync(UserScope? by, int outcomeId, bool active, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var outcome = await db.CallOutcomes.AsNoTracking().SingleOrDefaultAsync(o => o.Id == outcomeId, ct);
        if (outcome is null) return CallingAdminResult.NotFound(Gone);
        if (outcome.IsActive == active)
            return CallingAdminResult.Unchanged($"“{outcome.Name}” is already {(active ? "active" : "inactive")}.", outcome.Id);

        // The write comes first in the transaction, so SQLite takes its write lock (waiting its turn) before anything is read.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Deactivating first locks every active outcome (a no-op update): on PostgreSQL a second admin deactivating another
        // of the last two waits here for the first to commit, and its next statement (read committed: a fresh snapshot)
        // then sees the first's change. On SQLite the transaction's write lock already serialises them.
        if (!active)
            await db.CallOutcomes.Where(o => o.IsActive).ExecuteUpdateAsync(s => s.SetProperty(o => o.IsActive, o => o.IsActive), ct);
        // One statement, its condition in the WHERE clause: two admins deactivating the last two outcomes at once cannot both win.
        var changed = active
            ? await db.CallOutcomes.Where(o => o.Id == outcomeId).ExecuteUpdateAsync(s => s.SetProperty(o => o.IsActive, true), ct)
            : await db.CallOutcomes.Where(o => o.Id == outcomeId && db.CallOutcomes.Any(x => x.IsActive && x.Id != outcomeId))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.IsActive, false), ct);
        if (changed == 0)
            return CallingAdminResult.Refused($"“{outcome.Name}” is the only active outcome: at least one must stay active so agents can record their calls.");

        AuditLog.Add(db, Now, admin, active ? ActivatedAction : DeactivatedAction, Entity, outcome.Id.ToString(),
            $"{(active ? "Activated" : "Deactivated")} outcome '{outcome.Name}'.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return CallingAdminResult.Done($"“{outcome.Name}” {(active ? "activated: agents can choose it again" : "deactivated: agents no longer see it")}.", outcome.Id);
    }

    /// <summary>Swaps the outcome with its neighbour above (-1) or below (+1); sort orders are renumbered 10, 20, … so ties vanish.</summary>
    public async Task<CallingAdminResult> MoveAsync(UserScope? by, int outcomeId, int direction, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CallingAdminResult.Forbidden(AdminOnly);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var outcomes = await db.CallOutcomes.OrderBy(o => o.SortOrder).ThenBy(o => o.Id).ToListAsync(ct);
        var index = outcomes.FindIndex(o => o.Id == outcomeId);
        if (index < 0) return CallingAdminResult.NotFound(Gone);
        if (ListOrder.Move(outcomes, index, direction, (item, order) => item.SortOrder = order) is not { } target)
            return CallingAdminResult.Unchanged($"“{outcomes[index].Name}” is already {(direction < 0 ? "first" : "last")}.", outcomeId);
        AuditLog.Add(db, Now, admin, ReorderedAction, Entity, outcomeId.ToString(),
            $"Moved outcome '{outcomes[target].Name}' {(direction < 0 ? "up" : "down")} to position {target + 1}, " +
            $"{(direction < 0 ? "above" : "below")} '{outcomes[index].Name}'.");
        await db.SaveChangesAsync(ct);
        return CallingAdminResult.Done($"“{outcomes[target].Name}” moved {(direction < 0 ? "up" : "down")}.", outcomeId);
    }

    /// <summary>Copies the input, keeping only the settings its behaviour uses (the rest would mislead a later reader).</summary>
    private static void Apply(CallOutcome outcome, OutcomeInput input)
    {
        outcome.Name = input.Name.Trim();
        outcome.Colour = OutcomeColours.Normalise(input.Colour) ?? "Default";
        outcome.Category = input.Category;
        outcome.Behaviour = input.Behaviour;
        outcome.RequiresNote = input.RequiresNote;
        outcome.CallbackReserveMinutes = input.Behaviour == OutcomeBehaviour.CallBackLater
            ? input.CallbackReserveMinutes ?? throw new DomainException(OutcomeInputValidator.ReserveMinutesRequired) // validated before
            : 0;
        outcome.NextSmsTemplateId = input.Behaviour == OutcomeBehaviour.WrongNumber ? input.NextSmsTemplateId : null;
        outcome.NextEmailTemplateId = input.Behaviour == OutcomeBehaviour.WrongNumber ? input.NextEmailTemplateId : null;
    }

    private static CallOutcome Snapshot(CallOutcome o) => new()
    {
        Name = o.Name, Colour = o.Colour, Category = o.Category, Behaviour = o.Behaviour, RequiresNote = o.RequiresNote,
        CallbackReserveMinutes = o.CallbackReserveMinutes, NextSmsTemplateId = o.NextSmsTemplateId, NextEmailTemplateId = o.NextEmailTemplateId,
    };

    private static async Task<string> DescribeAsync(KonnectDbContext db, CallOutcome o, CancellationToken ct)
    {
        var parts = new List<string> { o.Colour, OutcomeText.Category(o.Category), OutcomeText.Behaviour(o.Behaviour) };
        if (o.Behaviour == OutcomeBehaviour.CallBackLater)
            parts.Add(o.CallbackReserveMinutes > 0 ? $"reserved for the same agent for {o.CallbackReserveMinutes} min" : "not reserved");
        if (o.Behaviour == OutcomeBehaviour.WrongNumber)
        {
            var ids = new[] { o.NextSmsTemplateId, o.NextEmailTemplateId }.OfType<int>().ToList();
            var names = await db.MessageTemplates.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
            parts.Add($"next SMS {(o.NextSmsTemplateId is { } s ? $"'{names.GetValueOrDefault(s)}'" : "none")}");
            parts.Add($"next email {(o.NextEmailTemplateId is { } e ? $"'{names.GetValueOrDefault(e)}'" : "none")}");
        }
        parts.Add(o.RequiresNote ? "requires a note" : "note optional");
        return $"'{o.Name}' ({string.Join(", ", parts)})";
    }

    private async Task<CallingAdminResult?> ValidateAsync(OutcomeInput input, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(input, ct);
        return result.IsValid ? null : CallingAdminResult.Invalid(result.Errors.Select(e => (e.PropertyName, e.ErrorMessage)));
    }

    private static CallingAdminResult NameTaken(OutcomeInput input) =>
        CallingAdminResult.Invalid(nameof(OutcomeInput.Name), $"An outcome called '{input.Name.Trim()}' already exists.");

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
