using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Fields;

/// <summary>A field as Configuration → Customer Fields lists it, with how many customers have a value for it.</summary>
public sealed record CustomFieldSummary(int Id, string Name, CustomFieldType Type, IReadOnlyList<string> Choices, int SortOrder, bool IsActive, int ValueCount);

public sealed record CustomFieldSaveResult(bool Succeeded, CustomFieldSummary? Field, IReadOnlyList<string> Errors)
{
    public static CustomFieldSaveResult Fail(params string[] errors) => new(false, null, errors);
}

/// <summary>
/// Admins' custom field definitions: validated by <see cref="CustomFieldInputValidator"/>, ordered, activated and
/// deactivated (never deleted: values stay), every change audited. Also the "agents may edit contacts" switch that
/// decides who may fill the fields in.
/// </summary>
public sealed class CustomFieldService(IDbContextFactory<KonnectDbContext> dbFactory, CustomFieldInputValidator validator, TimeProvider time)
{
    public const string CreatedAction = "customfield.created";
    public const string UpdatedAction = "customfield.updated";
    public const string AppSettingsAction = "settings.app.updated";
    private const string AdminOnly = "Only administrators can change customer fields.";

    public async Task<IReadOnlyList<CustomFieldSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.CustomFieldDefinitions.AsNoTracking().OrderBy(d => d.SortOrder).ThenBy(d => d.Id)
            .Select(d => new { d.Id, d.Name, d.Type, d.Choices, d.SortOrder, d.IsActive, Count = db.CustomFieldValues.Count(v => v.DefinitionId == d.Id) })
            .ToListAsync(ct);
        return rows.Select(d => new CustomFieldSummary(d.Id, d.Name, d.Type, CustomFieldValues.SplitChoices(d.Choices), d.SortOrder, d.IsActive, d.Count)).ToList();
    }

    /// <summary>Adds (Id 0, placed last) or changes a field. The scope is re-checked here: the page's policy is only the first gate.</summary>
    public async Task<CustomFieldSaveResult> SaveAsync(UserScope admin, CustomFieldInput input, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return CustomFieldSaveResult.Fail(AdminOnly);
        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid) return CustomFieldSaveResult.Fail([.. validation.Errors.Select(e => e.ErrorMessage).Distinct()]);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        CustomFieldDefinition field;
        string details;
        var choices = input.Type == CustomFieldType.Choice ? CustomFieldValues.JoinChoices(CustomFieldValues.SplitChoices(input.Choices)) : null;
        if (input.Id == 0)
        {
            var last = await db.CustomFieldDefinitions.MaxAsync(d => (int?)d.SortOrder, ct) ?? -1;
            field = new CustomFieldDefinition { Name = input.Name.Trim(), Type = input.Type, Choices = choices, IsActive = input.IsActive, SortOrder = last + 1 };
            db.CustomFieldDefinitions.Add(field);
            details = $"{field.Name} ({field.Type}{(choices is null ? "" : ": " + choices.Replace('\n', '|'))}, {(field.IsActive ? "active" : "inactive")})";
        }
        else
        {
            field = await db.CustomFieldDefinitions.SingleOrDefaultAsync(d => d.Id == input.Id, ct)
                    ?? throw new Common.DomainException("That field no longer exists. Reload the page.");
            var changes = new List<string>();
            if (field.Name != input.Name.Trim()) changes.Add($"name: {field.Name} → {input.Name.Trim()}");
            if (field.Type != input.Type) changes.Add($"type: {field.Type} → {input.Type}");
            if (field.Choices != choices) changes.Add($"choices: {field.Choices?.Replace('\n', '|')} → {choices?.Replace('\n', '|')}");
            if (field.IsActive != input.IsActive) changes.Add(input.IsActive ? "activated" : "deactivated");
            if (changes.Count == 0) return new(true, await SummaryAsync(db, field.Id, ct), []);
            field.Name = input.Name.Trim();
            field.Type = input.Type;
            field.Choices = choices;
            field.IsActive = input.IsActive;
            details = string.Join("; ", changes);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another admin saved the same name between the validation and here: the unique index decided.
            return CustomFieldSaveResult.Fail($"A field called '{input.Name.Trim()}' already exists.");
        }
        AuditLog.Add(db, now, admin, input.Id == 0 ? CreatedAction : UpdatedAction, nameof(CustomFieldDefinition), field.Id.ToString(), details);
        await db.SaveChangesAsync(ct);
        return new(true, await SummaryAsync(db, field.Id, ct), []);
    }

    /// <summary>An inactive field disappears from customer pages; its values are kept and return when it is activated again.</summary>
    public async Task<CustomFieldSaveResult> SetActiveAsync(UserScope admin, int fieldId, bool active, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return CustomFieldSaveResult.Fail(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = await db.CustomFieldDefinitions.SingleOrDefaultAsync(d => d.Id == fieldId, ct);
        if (field is null) return CustomFieldSaveResult.Fail("That field no longer exists. Reload the page.");
        if (field.IsActive != active)
        {
            field.IsActive = active;
            AuditLog.Add(db, time.GetUtcNow().UtcDateTime, admin, UpdatedAction, nameof(CustomFieldDefinition), field.Id.ToString(),
                $"{field.Name}: {(active ? "activated" : "deactivated")}");
            await db.SaveChangesAsync(ct);
        }
        return new(true, await SummaryAsync(db, field.Id, ct), []);
    }

    /// <summary>Swaps the field with its neighbour above (-1) or below (+1). Sort orders are renumbered 0..n so gaps and ties vanish.</summary>
    public async Task<CustomFieldSaveResult> MoveAsync(UserScope admin, int fieldId, int direction, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return CustomFieldSaveResult.Fail(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fields = await db.CustomFieldDefinitions.OrderBy(d => d.SortOrder).ThenBy(d => d.Id).ToListAsync(ct);
        var index = fields.FindIndex(d => d.Id == fieldId);
        if (index < 0) return CustomFieldSaveResult.Fail("That field no longer exists. Reload the page.");
        var target = index + Math.Sign(direction);
        if (target < 0 || target >= fields.Count || direction == 0) return new(true, await SummaryAsync(db, fieldId, ct), []);
        (fields[index], fields[target]) = (fields[target], fields[index]);
        for (var i = 0; i < fields.Count; i++) fields[i].SortOrder = i;
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, admin, UpdatedAction, nameof(CustomFieldDefinition), fieldId.ToString(),
            $"{fields[target].Name}: moved {(direction < 0 ? "up" : "down")} to position {target + 1}");
        await db.SaveChangesAsync(ct);
        return new(true, await SummaryAsync(db, fieldId, ct), []);
    }

    public async Task<bool> GetAgentsMayEditContactsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AppSettings.AsNoTracking().Where(s => s.Id == AppSettings.SingletonId).Select(s => s.AgentsMayEditContacts).SingleOrDefaultAsync(ct);
    }

    /// <summary>Agents may add and edit contacts (names, phones, custom fields) only while this is on; admins always may.</summary>
    public async Task<bool> SetAgentsMayEditContactsAsync(UserScope admin, bool allowed, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AppSettings.SingleOrDefaultAsync(s => s.Id == AppSettings.SingletonId, ct);
        if (row is null) db.AppSettings.Add(row = new AppSettings { AgentsMayEditContacts = !allowed });
        if (row.AgentsMayEditContacts == allowed) return true;
        var now = time.GetUtcNow().UtcDateTime;
        row.AgentsMayEditContacts = allowed;
        row.UpdatedAt = now;
        row.UpdatedBy = admin.DisplayName.Length > 100 ? admin.DisplayName[..100] : admin.DisplayName;
        AuditLog.Add(db, now, admin, AppSettingsAction, nameof(AppSettings), AppSettings.SingletonId.ToString(),
            $"Agents may edit contacts: {(allowed ? "no → yes" : "yes → no")}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static async Task<CustomFieldSummary?> SummaryAsync(KonnectDbContext db, int id, CancellationToken ct)
    {
        var d = await db.CustomFieldDefinitions.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Id, x.Name, x.Type, x.Choices, x.SortOrder, x.IsActive, Count = db.CustomFieldValues.Count(v => v.DefinitionId == x.Id) })
            .SingleOrDefaultAsync(ct);
        return d is null ? null : new(d.Id, d.Name, d.Type, CustomFieldValues.SplitChoices(d.Choices), d.SortOrder, d.IsActive, d.Count);
    }
}
