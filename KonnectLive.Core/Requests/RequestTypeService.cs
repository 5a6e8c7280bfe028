using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Requests;

public sealed record RequestFieldSummary(int Id, string Name, CustomFieldType Type, IReadOnlyList<string> Choices, bool IsRequired, bool IsActive, int ValueCount);

/// <summary>A request type as Configuration → Request Types lists it, with how many requests use it.</summary>
public sealed record RequestTypeSummary(int Id, string Name, string? Description, bool IsActive, IReadOnlyList<RequestFieldSummary> Fields, int RequestCount)
{
    public RequestTypeInput ToInput() => new()
    {
        Id = Id, Name = Name, Description = Description, IsActive = IsActive,
        Fields = [.. Fields.Select(f => new RequestFieldInput
        {
            Id = f.Id, Name = f.Name, Type = f.Type, Choices = CustomFieldValues.JoinChoices(f.Choices), IsRequired = f.IsRequired, IsActive = f.IsActive,
        })],
    };
}

/// <summary>
/// Admins' request types and their fields: validated by <see cref="RequestTypeInputValidator"/>, saved as a whole (the
/// fields in the submitted order), activated and deactivated; deleted only while no request uses them. Every change is
/// audited with what changed.
/// </summary>
public sealed class RequestTypeService(IDbContextFactory<KonnectDbContext> dbFactory, RequestTypeInputValidator validator, TimeProvider time)
{
    public const string CreatedAction = "requesttype.created";
    public const string UpdatedAction = "requesttype.updated";
    public const string DeletedAction = "requesttype.deleted";
    private const string AdminOnly = "Only administrators can change request types.";
    private const string Gone = "That request type no longer exists. Reload the page.";

    public static string NameTaken(string name) => $"A request type called '{name.Trim()}' already exists. Choose another name.";

    public async Task<IReadOnlyList<RequestTypeSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var types = await db.RequestTypes.AsNoTracking().Include(t => t.Fields).OrderBy(t => t.Name).ToListAsync(ct);
        var counts = await db.CustomerRequests.GroupBy(r => r.RequestTypeId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var valueCounts = await db.CustomerRequestValues.GroupBy(v => v.RequestFieldId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return types.Select(t => new RequestTypeSummary(t.Id, t.Name, t.Description, t.IsActive,
                t.Fields.OrderBy(f => f.SortOrder).ThenBy(f => f.Id)
                    .Select(f => new RequestFieldSummary(f.Id, f.Name, f.Type, CustomFieldValues.SplitChoices(f.Choices), f.IsRequired, f.IsActive, valueCounts.GetValueOrDefault(f.Id)))
                    .ToList(),
                counts.GetValueOrDefault(t.Id)))
            .ToList();
    }

    /// <summary>Adds (Id 0) or changes a type with its fields. The role is re-checked here: the page's policy is only the first gate.</summary>
    public async Task<CommandResult> SaveAsync(UserScope admin, RequestTypeInput input, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return CommandResult.Forbidden(AdminOnly);
        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid)
        {
            var errors = validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).Distinct().ToList();
            return new CommandResult(CommandOutcome.Invalid, string.Join(" ", errors.Select(e => e.ErrorMessage).Distinct()), errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var name = input.Name.Trim();
        var description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        var changes = new List<string>();
        RequestType type;
        if (input.Id == 0)
        {
            type = new RequestType { Name = name, Description = description, IsActive = input.IsActive };
            db.RequestTypes.Add(type);
            changes.Add($"{name} ({(input.IsActive ? "active" : "inactive")})");
        }
        else
        {
            type = await db.RequestTypes.Include(t => t.Fields).SingleOrDefaultAsync(t => t.Id == input.Id, ct)
                   ?? throw new DomainException(Gone);
            if (type.Name != name) changes.Add($"name: {type.Name} → {name}");
            if (type.Description != description) changes.Add("description changed");
            if (type.IsActive != input.IsActive) changes.Add(input.IsActive ? "activated" : "deactivated");
            type.Name = name;
            type.Description = description;
            type.IsActive = input.IsActive;
        }

        var kept = input.Fields.Where(f => f.Id != 0).Select(f => f.Id).ToHashSet();
        foreach (var removed in type.Fields.Where(f => !kept.Contains(f.Id)).ToList())
        {
            type.Fields.Remove(removed);
            db.RequestFields.Remove(removed);
            changes.Add($"field {removed.Name} removed");
        }
        for (var i = 0; i < input.Fields.Count; i++)
        {
            var f = input.Fields[i];
            var choices = f.Type == CustomFieldType.Choice ? CustomFieldValues.JoinChoices(CustomFieldValues.SplitChoices(f.Choices)) : null;
            var field = f.Id == 0 ? null : type.Fields.Single(x => x.Id == f.Id);
            if (field is null)
            {
                type.Fields.Add(new RequestField { Name = f.Name.Trim(), Type = f.Type, Choices = choices, IsRequired = f.IsRequired, IsActive = f.IsActive, SortOrder = i });
                changes.Add($"field {f.Name.Trim()} added ({f.Type}{(f.IsRequired ? ", required" : "")})");
                continue;
            }
            var what = new List<string>();
            if (field.Name != f.Name.Trim()) what.Add($"renamed to {f.Name.Trim()}");
            if (field.Type != f.Type) what.Add($"type {field.Type} → {f.Type}");
            if (field.Choices != choices) what.Add("choices changed");
            if (field.IsRequired != f.IsRequired) what.Add(f.IsRequired ? "now required" : "now optional");
            if (field.IsActive != f.IsActive) what.Add(f.IsActive ? "activated" : "deactivated");
            if (field.SortOrder != i) what.Add($"position {i + 1}");
            if (what.Count > 0) changes.Add($"field {field.Name}: {string.Join(", ", what)}");
            field.Name = f.Name.Trim();
            field.Type = f.Type;
            field.Choices = choices;
            field.IsRequired = f.IsRequired;
            field.IsActive = f.IsActive;
            field.SortOrder = i;
        }
        if (input.Id != 0 && changes.Count == 0) return CommandResult.Unchanged("No changes to save.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Another admin saved the same name between the validation and here: the unique index decided.
            return new CommandResult(CommandOutcome.Invalid, NameTaken(name), [(nameof(RequestTypeInput.Name), NameTaken(name))]);
        }
        AuditLog.Add(db, now, admin, input.Id == 0 ? CreatedAction : UpdatedAction, nameof(RequestType), type.Id.ToString(), Trim(string.Join("; ", changes)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return CommandResult.Done(input.Id == 0 ? $"Request type {name} added." : $"Request type {name} saved.");
    }

    /// <summary>An inactive type is not offered to agents; its requests stay in the history and the reports.</summary>
    public async Task<CommandResult> SetActiveAsync(UserScope admin, int typeId, bool active, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return CommandResult.Forbidden(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var type = await db.RequestTypes.SingleOrDefaultAsync(t => t.Id == typeId, ct);
        if (type is null) return CommandResult.NotFound(Gone);
        if (type.IsActive == active) return CommandResult.Unchanged($"{type.Name} is already {(active ? "active" : "inactive")}.");
        type.IsActive = active;
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, admin, UpdatedAction, nameof(RequestType), type.Id.ToString(), $"{type.Name}: {(active ? "activated" : "deactivated")}");
        await db.SaveChangesAsync(ct);
        return CommandResult.Done($"{type.Name} {(active ? "activated" : "deactivated")}.");
    }

    /// <summary>Only a type no request uses can be deleted (a mistake just made); a used one is deactivated instead.</summary>
    public async Task<CommandResult> DeleteAsync(UserScope admin, int typeId, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return CommandResult.Forbidden(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var type = await db.RequestTypes.Include(t => t.Fields).SingleOrDefaultAsync(t => t.Id == typeId, ct);
        if (type is null) return CommandResult.NotFound(Gone);
        if (await db.CustomerRequests.AnyAsync(r => r.RequestTypeId == typeId, ct))
            return CommandResult.Refused($"{type.Name} is used by requests, so it cannot be deleted: deactivate it instead.");
        db.RequestTypes.Remove(type);
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, admin, DeletedAction, nameof(RequestType), type.Id.ToString(),
            $"{type.Name} ({string.Join(", ", type.Fields.OrderBy(f => f.SortOrder).Select(f => f.Name))})");
        await db.SaveChangesAsync(ct);
        return CommandResult.Done($"{type.Name} deleted.");
    }

    private static string Trim(string s) => s.Length > 2000 ? s[..2000] + "…" : s;
}
