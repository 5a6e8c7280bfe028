using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Retention;

/// <summary>Reads and changes the retention periods; a change is audited and applies from the next daily purge.</summary>
public sealed class RetentionSettingsService(IDbContextFactory<KonnectDbContext> dbFactory, RetentionSettingsInputValidator validator, TimeProvider time)
{
    public const string AuditAction = "settings.retention.updated";

    public async Task<RetentionSettings> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ReadAsync(db, ct);
    }

    internal static async Task<RetentionSettings> ReadAsync(KonnectDbContext db, CancellationToken ct) =>
        await db.RetentionSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == RetentionSettings.SingletonId, ct) ?? new RetentionSettings();

    public async Task<CommandResult> UpdateAsync(UserScope admin, RetentionSettingsInput input, CancellationToken ct = default)
    {
        // The page's policy is the first gate; the scope is read from the database, so a demoted admin is refused here.
        if (!admin.IsInRole(Roles.Admin)) return CommandResult.Forbidden("Only administrators can change how long data is kept.");
        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid)
            return new CommandResult(CommandOutcome.Invalid, "The retention periods were not saved: " + string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)),
                validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList());

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.RetentionSettings.SingleOrDefaultAsync(s => s.Id == RetentionSettings.SingletonId, ct);
        if (row is null) db.RetentionSettings.Add(row = new RetentionSettings());
        var changes = new List<string>();
        void Set(string name, int before, int after, Action<int> apply)
        {
            if (before != after) changes.Add($"{name}: {Wording.Plural(before, "day")} → {Wording.Plural(after, "day")}");
            apply(after);
        }
        Set(RetentionDefinitions.InboundPayload, row.InboundPayloadDays, input.InboundPayloadDays!.Value, v => row.InboundPayloadDays = v);
        Set(RetentionDefinitions.Outbox, row.OutboxDays, input.OutboxDays!.Value, v => row.OutboxDays = v);
        Set(RetentionDefinitions.FinishedMessages, row.FinishedMessageDays, input.FinishedMessageDays!.Value, v => row.FinishedMessageDays = v);
        Set(RetentionDefinitions.Audit, row.AuditDays, input.AuditDays!.Value, v => row.AuditDays = v);
        if (changes.Count == 0) return CommandResult.Unchanged("No retention period was changed.");

        var now = time.GetUtcNow().UtcDateTime;
        row.UpdatedAt = now;
        row.UpdatedBy = admin.DisplayName.Length > 100 ? admin.DisplayName[..100] : admin.DisplayName;
        AuditLog.Add(db, now, admin, AuditAction, nameof(RetentionSettings), RetentionSettings.SingletonId.ToString(), string.Join("\n", changes));
        await db.SaveChangesAsync(ct);
        return CommandResult.Done("Retention periods saved. The next daily clean-up uses them.");
    }
}
