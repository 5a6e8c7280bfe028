using System.Globalization;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Fields;

/// <summary>One active field and the customer's value for it (stored invariant text, or null when not filled in).</summary>
public sealed record CustomFieldValueView(int DefinitionId, string Name, CustomFieldType Type, IReadOnlyList<string> Choices,
    string? Value, DateTime? UpdatedAt, string? UpdatedBy)
{
    public string Display => CustomFieldValues.Display(Type, Value);
}

/// <summary>A customer's custom fields and whether this user may change them (with the reason when not).</summary>
public sealed record CustomerFieldsView(int CustomerId, bool CanEdit, string? ReadOnlyReason, IReadOnlyList<CustomFieldValueView> Fields);

public enum CustomFieldUpdateOutcome { Saved, Unchanged, Invalid, Forbidden, NotFound }

/// <param name="Errors">Field definition id → message, when <see cref="Outcome"/> is Invalid.</param>
public sealed record CustomFieldUpdateResult(CustomFieldUpdateOutcome Outcome, string Message, IReadOnlyDictionary<int, string> Errors, CustomerFieldsView? Fields)
{
    public bool Succeeded => Outcome is CustomFieldUpdateOutcome.Saved or CustomFieldUpdateOutcome.Unchanged;
}

/// <summary>Who may change a contact: admins always; agents and supervisors while an admin allows agents to edit contacts.</summary>
public static class ContactEditing
{
    public const string NotAllowedReason = "Only administrators can change this customer's details (agents may not edit contacts).";

    public static bool CanEdit(UserScope user, bool agentsMayEditContacts) =>
        user.IsInRole(Roles.Admin) || (agentsMayEditContacts && (user.IsInRole(Roles.Agent) || user.IsInRole(Roles.Supervisor)));
}

/// <summary>
/// Reads and writes customers' custom field values. Every write re-checks, on the server, that the user may see the
/// customer's dealership and may edit contacts now (the setting is read at that moment), validates each value for its
/// field's type, and audits each changed field with its old and new value.
/// </summary>
public sealed class CustomFieldValueService(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    public const string AuditAction = "customer.field.updated";

    /// <summary>The active fields in their order with this customer's values; null when the customer does not exist or is outside the user's scope.</summary>
    public async Task<CustomerFieldsView?> GetAsync(UserScope user, int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ReadAsync(db, user, customerId, ct);
    }

    /// <summary>Sets one field; null or blank clears it.</summary>
    public Task<CustomFieldUpdateResult> SetAsync(UserScope user, int customerId, int definitionId, string? value,
        CultureInfo? culture = null, CancellationToken ct = default) =>
        SetManyAsync(user, customerId, new Dictionary<int, string?> { [definitionId] = value }, culture, ct);

    /// <summary>
    /// Sets several fields at once: all are validated first, and either all changes are saved (with their audit
    /// entries) or none. Fields not in <paramref name="values"/> are left as they are.
    /// </summary>
    public async Task<CustomFieldUpdateResult> SetManyAsync(UserScope user, int customerId, IReadOnlyDictionary<int, string?> values,
        CultureInfo? culture = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dealershipId = await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => (int?)c.DealershipId).SingleOrDefaultAsync(ct);
        if (dealershipId is null || !user.CanSee(dealershipId.Value))
            return new(CustomFieldUpdateOutcome.NotFound, "This customer does not exist or is not one of your dealership's customers.", Empty, null);
        if (!ContactEditing.CanEdit(user, await AgentsMayEditAsync(db, ct)))
            return new(CustomFieldUpdateOutcome.Forbidden, ContactEditing.NotAllowedReason, Empty, null);

        var ids = values.Keys.ToList();
        var definitions = await db.CustomFieldDefinitions.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var existing = await db.CustomFieldValues.Where(v => v.CustomerId == customerId && ids.Contains(v.DefinitionId)).ToDictionaryAsync(v => v.DefinitionId, ct);

        var errors = new Dictionary<int, string>();
        var normalised = new Dictionary<int, string?>();
        foreach (var (id, raw) in values)
        {
            if (!definitions.TryGetValue(id, out var definition) || !definition.IsActive)
            {
                errors[id] = "This field no longer exists or was deactivated. Reload the page.";
                continue;
            }
            var (value, error) = CustomFieldValues.Normalise(definition.Type, definition.Choices, raw, culture);
            if (error is not null) errors[id] = $"{definition.Name} {error}";
            else normalised[id] = value;
        }
        if (errors.Count > 0)
            return new(CustomFieldUpdateOutcome.Invalid, "Nothing was saved: " + string.Join(" ", errors.Values), errors, null);

        var now = time.GetUtcNow().UtcDateTime;
        var by = user.DisplayName.Length > 100 ? user.DisplayName[..100] : user.DisplayName;
        var changed = 0;
        foreach (var (id, value) in normalised)
        {
            existing.TryGetValue(id, out var row);
            if (row?.Value == value) continue;
            var definition = definitions[id];
            var before = row?.Value;
            if (value is null) db.CustomFieldValues.Remove(row!);
            else if (row is null) db.CustomFieldValues.Add(new CustomFieldValue { CustomerId = customerId, DefinitionId = id, Value = value, UpdatedAt = now, UpdatedBy = by });
            else { row.Value = value; row.UpdatedAt = now; row.UpdatedBy = by; }
            AuditLog.Add(db, now, user, AuditAction, nameof(CustomFieldValue), id.ToString(),
                $"{definition.Name}: {Quote(before)} → {Quote(value)}", customerId);
            changed++;
        }
        if (changed == 0)
            return new(CustomFieldUpdateOutcome.Unchanged, "No field was changed.", Empty, await ReadAsync(db, user, customerId, ct));

        try
        {
            await db.SaveChangesAsync(ct); // the values and their audit entries commit together
        }
        catch (DbUpdateException)
        {
            // Someone else saved a value for the same field meanwhile (the unique index on customer + field decided).
            return new(CustomFieldUpdateOutcome.Invalid, "Someone else changed these fields just now. Reload and try again.", Empty, null);
        }
        return new(CustomFieldUpdateOutcome.Saved, changed == 1 ? "1 field saved." : $"{changed} fields saved.", Empty, await ReadAsync(db, user, customerId, ct));
    }

    private static readonly IReadOnlyDictionary<int, string> Empty = new Dictionary<int, string>();

    private static string Quote(string? v) => v is null ? "(empty)" : $"\"{(v.Length > 200 ? v[..200] + "…" : v)}\"";

    private static async Task<bool> AgentsMayEditAsync(KonnectDbContext db, CancellationToken ct) =>
        await db.AppSettings.AsNoTracking().Where(s => s.Id == AppSettings.SingletonId).Select(s => s.AgentsMayEditContacts).SingleOrDefaultAsync(ct);

    private static async Task<CustomerFieldsView?> ReadAsync(KonnectDbContext db, UserScope user, int customerId, CancellationToken ct)
    {
        var dealershipId = await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => (int?)c.DealershipId).SingleOrDefaultAsync(ct);
        if (dealershipId is null || !user.CanSee(dealershipId.Value)) return null;
        var definitions = await db.CustomFieldDefinitions.AsNoTracking().Where(d => d.IsActive)
            .OrderBy(d => d.SortOrder).ThenBy(d => d.Id).ToListAsync(ct);
        var values = await db.CustomFieldValues.AsNoTracking().Where(v => v.CustomerId == customerId).ToDictionaryAsync(v => v.DefinitionId, ct);
        var canEdit = ContactEditing.CanEdit(user, await AgentsMayEditAsync(db, ct));
        return new CustomerFieldsView(customerId, canEdit, canEdit ? null : ContactEditing.NotAllowedReason,
            definitions.Select(d =>
            {
                values.TryGetValue(d.Id, out var v);
                return new CustomFieldValueView(d.Id, d.Name, d.Type, CustomFieldValues.SplitChoices(d.Choices), v?.Value, v?.UpdatedAt, v?.UpdatedBy);
            }).ToList());
    }
}
