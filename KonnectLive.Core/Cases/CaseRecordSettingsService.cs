using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Cases;

/// <summary>Reads and changes Configuration → Case Records; every change is audited with what changed.</summary>
public sealed class CaseRecordSettingsService(IDbContextFactory<KonnectDbContext> dbFactory, CaseRecordSettingsInputValidator validator, TimeProvider time)
{
    public const string AuditAction = "settings.case-records.updated";

    public async Task<CaseRecordSettings> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CaseRecordSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == CaseRecordSettings.SingletonId, ct) ?? new CaseRecordSettings();
    }

    /// <summary>The title a template gives for the sample call, or why it cannot be used: the page's live preview.</summary>
    public static (string? Title, string? Problem) Preview(string? template)
    {
        var problem = string.IsNullOrWhiteSpace(template) ? "Enter a title template." : CaseTitleTemplate.Problem(template);
        return problem is null ? (CaseTitleTemplate.Render(template!, CaseTitleTemplate.Sample), null) : (null, problem);
    }

    public async Task<CommandResult> UpdateAsync(UserScope admin, CaseRecordSettingsInput input, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return CommandResult.Forbidden("Only administrators can change the case-record options.");
        input.TitleTemplate = (input.TitleTemplate ?? "").Trim();
        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid)
            return new CommandResult(CommandOutcome.Invalid, "The case-record options were not saved: " + string.Join(" ", validation.Errors.Select(e => e.ErrorMessage).Distinct()),
                validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList());

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.CaseRecordSettings.SingleOrDefaultAsync(s => s.Id == CaseRecordSettings.SingletonId, ct);
        if (row is null) db.CaseRecordSettings.Add(row = new CaseRecordSettings());
        var changes = new List<string>();
        void Track<T>(string name, T before, T after)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after)) changes.Add($"{name} {before} → {after}");
        }
        Track("case records", OnOff(row.Enabled), OnOff(input.Enabled));
        Track("add to open case", OnOff(row.AppendToOpenCase), OnOff(input.AppendToOpenCase));
        Track("add to recently closed case", OnOff(row.AppendToRecentlyClosed), OnOff(input.AppendToRecentlyClosed));
        if (input.AppendToRecentlyClosed) Track("closed within (days)", row.ClosedWithinDays, input.ClosedWithinDays);
        Track("delay until connected", OnOff(row.DelayUntilConnected), OnOff(input.DelayUntilConnected));
        Track("abandoned calls", row.AbandonedCalls, input.AbandonedCalls);
        if (input.AbandonedCalls == AbandonedCallCases.MinimumSeconds) Track("abandoned minimum (s)", row.AbandonedMinimumSeconds, input.AbandonedMinimumSeconds);
        Track("title template", $"'{row.TitleTemplate}'", $"'{input.TitleTemplate}'");
        Track("session-type tags", OnOff(row.AddSessionTypeTags), OnOff(input.AddSessionTypeTags));
        Track("platform tag", OnOff(row.AddPlatformTag), OnOff(input.AddPlatformTag));
        if (changes.Count == 0) return CommandResult.Unchanged("No case-record option was changed.");

        var now = time.GetUtcNow().UtcDateTime;
        row.Enabled = input.Enabled;
        row.AppendToOpenCase = input.AppendToOpenCase;
        row.AppendToRecentlyClosed = input.AppendToRecentlyClosed;
        if (input.AppendToRecentlyClosed) row.ClosedWithinDays = input.ClosedWithinDays;
        row.DelayUntilConnected = input.DelayUntilConnected;
        row.AbandonedCalls = input.AbandonedCalls;
        if (input.AbandonedCalls == AbandonedCallCases.MinimumSeconds) row.AbandonedMinimumSeconds = input.AbandonedMinimumSeconds;
        row.TitleTemplate = input.TitleTemplate;
        row.AddSessionTypeTags = input.AddSessionTypeTags;
        row.AddPlatformTag = input.AddPlatformTag;
        row.UpdatedAt = now;
        row.UpdatedBy = admin.DisplayName.Length > 100 ? admin.DisplayName[..100] : admin.DisplayName;
        AuditLog.Add(db, now, admin, AuditAction, nameof(CaseRecordSettings), CaseRecordSettings.SingletonId.ToString(),
            "Case records: " + string.Join("; ", changes) + ".");
        await db.SaveChangesAsync(ct);
        return CommandResult.Done("Saved. New calls are filed by these options; cases already filed stay as they are.");
    }

    private static string OnOff(bool on) => on ? "on" : "off";
}
