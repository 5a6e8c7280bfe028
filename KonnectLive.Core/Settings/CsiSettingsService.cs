using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Settings;

/// <summary>A template as the settings page offers it.</summary>
public sealed record TemplateOption(int Id, string Name, MessageChannel Channel, bool IsActive);

/// <summary>The saved CSI settings with the names of the chosen templates.</summary>
public sealed record CsiSettingsView(
    int? AwaitingTemplateId, string? AwaitingTemplateName,
    int AwaitingDelayMinutes,
    int FocusMatchCutOffDays,
    int? PendingTemplateId, string? PendingTemplateName,
    int PendingDelayMinutes,
    int PositiveResponseThreshold,
    DateTime UpdatedAt, string? UpdatedBy,
    int UndoMinutes = CsiSettings.DefaultUndoMinutes)
{
    public CsiSettingsInput ToInput() => new()
    {
        AwaitingTemplateId = AwaitingTemplateId, AwaitingDelayMinutes = AwaitingDelayMinutes, FocusMatchCutOffDays = FocusMatchCutOffDays,
        PendingTemplateId = PendingTemplateId, PendingDelayMinutes = PendingDelayMinutes, PositiveResponseThreshold = PositiveResponseThreshold,
        UndoMinutes = UndoMinutes,
    };
}

public enum CsiSettingsUpdateOutcome { Saved, Unchanged, Invalid, Forbidden }

/// <param name="Errors">Property name → messages, when <see cref="Outcome"/> is Invalid.</param>
public sealed record CsiSettingsUpdateResult(CsiSettingsUpdateOutcome Outcome, string Message, CsiSettingsView? Settings,
    IReadOnlyList<(string Property, string Message)> Errors)
{
    public bool Succeeded => Outcome is CsiSettingsUpdateOutcome.Saved or CsiSettingsUpdateOutcome.Unchanged;
}

/// <summary>
/// Reads and changes the single CSI settings row. Whoever queues a message reads the row at that moment, so
/// a change applies to messages queued afterwards; messages already queued keep the values they were queued with.
/// </summary>
public sealed class CsiSettingsService(IDbContextFactory<KonnectDbContext> dbFactory, CsiSettingsInputValidator validator, TimeProvider time)
{
    public const string AuditAction = "settings.csi.updated";

    public async Task<CsiSettingsView> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ReadAsync(db, ct);
    }

    /// <summary>Active templates by name, plus any inactive one still chosen (so the page can show what is set and why it must change).</summary>
    public async Task<IReadOnlyList<TemplateOption>> GetTemplateOptionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var chosen = await db.CsiSettings.AsNoTracking().Where(s => s.Id == CsiSettings.SingletonId)
            .Select(s => new { s.AwaitingTemplateId, s.PendingTemplateId }).SingleOrDefaultAsync(ct);
        return await db.MessageTemplates.AsNoTracking()
            .Where(t => t.IsActive || (chosen != null && (t.Id == chosen.AwaitingTemplateId || t.Id == chosen.PendingTemplateId)))
            .OrderBy(t => t.Name)
            .Select(t => new TemplateOption(t.Id, t.Name, t.Channel, t.IsActive))
            .ToListAsync(ct);
    }

    public async Task<CsiSettingsUpdateResult> UpdateAsync(UserScope admin, CsiSettingsInput input, CancellationToken ct = default)
    {
        // The route policy is only the first gate: the scope comes from the database, so a demoted admin is refused here.
        if (!admin.IsInRole(Roles.Admin))
            return new(CsiSettingsUpdateOutcome.Forbidden, "Only administrators can change the CSI settings.", null, []);

        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid)
            return new(CsiSettingsUpdateOutcome.Invalid, "The settings were not saved: " + string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)),
                null, validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList());

        // The validator refused missing numbers; the pattern says so to the compiler, and would refuse them again.
        if (input is not { AwaitingDelayMinutes: { } awaitingDelay, FocusMatchCutOffDays: { } cutOffDays,
                PendingDelayMinutes: { } pendingDelay, PositiveResponseThreshold: { } threshold, UndoMinutes: { } undoMinutes })
            return new(CsiSettingsUpdateOutcome.Invalid, "The settings were not saved: every number is required.", null, []);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.CsiSettings.SingleOrDefaultAsync(s => s.Id == CsiSettings.SingletonId, ct);
        if (row is null)
        {
            row = new CsiSettings();
            db.CsiSettings.Add(row);
        }

        var names = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.Id == row.AwaitingTemplateId || t.Id == row.PendingTemplateId || t.Id == input.AwaitingTemplateId || t.Id == input.PendingTemplateId)
            .ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        string Template(int? id) => id is { } v ? names.TryGetValue(v, out var n) ? $"\"{n}\" (#{v})" : $"#{v}" : "No message";
        static string Minutes(int m) => $"{m} min";

        var changes = new List<string>();
        void Compare<T>(string name, T before, T after, Func<T, string> show)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after)) changes.Add($"{name}: {show(before)} → {show(after)}");
        }
        Compare(CsiSettingDefinitions.AwaitingTemplate, row.AwaitingTemplateId, input.AwaitingTemplateId, Template);
        Compare(CsiSettingDefinitions.AwaitingDelay, row.AwaitingDelayMinutes, awaitingDelay, Minutes);
        Compare(CsiSettingDefinitions.FocusMatchCutOffDays, row.FocusMatchCutOffDays, cutOffDays, d => Common.Wording.Plural(d, "day"));
        Compare(CsiSettingDefinitions.PendingTemplate, row.PendingTemplateId, input.PendingTemplateId, Template);
        Compare(CsiSettingDefinitions.PendingDelay, row.PendingDelayMinutes, pendingDelay, Minutes);
        Compare(CsiSettingDefinitions.PositiveResponseThreshold, row.PositiveResponseThreshold, threshold, t => t.ToString());
        Compare(CsiSettingDefinitions.UndoMinutes, row.UndoMinutes, undoMinutes, Minutes);

        if (changes.Count == 0 && db.Entry(row).State != EntityState.Added)
            return new(CsiSettingsUpdateOutcome.Unchanged, "No setting was changed.", await ReadAsync(db, ct), []);

        var now = time.GetUtcNow().UtcDateTime;
        row.AwaitingTemplateId = input.AwaitingTemplateId;
        row.AwaitingDelayMinutes = awaitingDelay;
        row.FocusMatchCutOffDays = cutOffDays;
        row.PendingTemplateId = input.PendingTemplateId;
        row.PendingDelayMinutes = pendingDelay;
        row.PositiveResponseThreshold = threshold;
        row.UndoMinutes = undoMinutes;
        row.UpdatedAt = now;
        row.UpdatedBy = admin.DisplayName.Length > 100 ? admin.DisplayName[..100] : admin.DisplayName;
        AuditLog.Add(db, now, admin, AuditAction, nameof(CsiSettings), CsiSettings.SingletonId.ToString(), string.Join("\n", changes));
        await db.SaveChangesAsync(ct); // the row and its audit entry commit together

        return new(CsiSettingsUpdateOutcome.Saved, "CSI settings saved. They apply to messages queued from now on.", await ReadAsync(db, ct), []);
    }

    private static async Task<CsiSettingsView> ReadAsync(KonnectDbContext db, CancellationToken ct) =>
        await db.CsiSettings.AsNoTracking().Where(s => s.Id == CsiSettings.SingletonId)
            .Select(s => new CsiSettingsView(
                s.AwaitingTemplateId, db.MessageTemplates.Where(t => t.Id == s.AwaitingTemplateId).Select(t => t.Name).FirstOrDefault(),
                s.AwaitingDelayMinutes,
                s.FocusMatchCutOffDays,
                s.PendingTemplateId, db.MessageTemplates.Where(t => t.Id == s.PendingTemplateId).Select(t => t.Name).FirstOrDefault(),
                s.PendingDelayMinutes,
                s.PositiveResponseThreshold,
                s.UpdatedAt, s.UpdatedBy,
                s.UndoMinutes))
            .SingleOrDefaultAsync(ct)
        ?? Defaults();

    // DatabaseInitializer seeds the row at start; the entity's defaults only if someone deleted it.
    private static CsiSettingsView Defaults()
    {
        var d = new CsiSettings();
        return new(d.AwaitingTemplateId, null, d.AwaitingDelayMinutes, d.FocusMatchCutOffDays, d.PendingTemplateId, null,
            d.PendingDelayMinutes, d.PositiveResponseThreshold, d.UpdatedAt, d.UpdatedBy, d.UndoMinutes);
    }
}
