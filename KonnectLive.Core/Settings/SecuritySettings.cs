using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Settings;

/// <summary>What an admin submits on Configuration → Security. Nullable so a missing answer is refused, never read as "off".</summary>
public sealed class SecuritySettingsInput
{
    public bool? RequireTwoFactorForStaff { get; set; }
}

/// <summary>The names and descriptions the page, the validator and the audit trail share.</summary>
public static class SecurityDefinitions
{
    public const string RequireTwoFactor = "Two-factor sign-in required for admins and supervisors";
    public const string RequireTwoFactorDescription =
        "When on, an admin or supervisor who has not set up an authenticator app is sent to the two-factor page after signing in " +
        "and can open nothing else (no page, no live updates, no export) until it is set up; from then on signing in asks for a " +
        "code. Nobody is refused: whoever is not enrolled yet enrols at their next request. Agents are not affected.";

    /// <summary>The roles the requirement applies to.</summary>
    public static readonly string[] StaffRoles = [Roles.Admin, Roles.Supervisor];
}

public sealed class SecuritySettingsInputValidator : AbstractValidator<SecuritySettingsInput>
{
    public SecuritySettingsInputValidator()
    {
        RuleFor(i => i.RequireTwoFactorForStaff).NotNull().WithMessage($"Say whether {SecurityDefinitions.RequireTwoFactor.ToLowerInvariant()}.");
    }

    /// <summary>MudForm's <c>Validation</c>: the errors for one property of the model.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<SecuritySettingsInput>.CreateWithOptions((SecuritySettingsInput)model,
            o => o.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };
}

/// <summary>
/// Reads and changes the security settings (a column of <see cref="AppSettings"/>). The sign-in checks read
/// <see cref="RequiresTwoFactorForStaffAsync"/> on every request of an admin or supervisor, so it is kept for a few
/// seconds; a change on this instance applies at once, on another instance of a cluster within <see cref="CacheFor"/>.
/// </summary>
public sealed class SecuritySettingsService(IDbContextFactory<KonnectDbContext> dbFactory, SecuritySettingsInputValidator validator, TimeProvider time)
{
    public const string AuditAction = "settings.security.updated";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private sealed record Cached(bool Value, DateTimeOffset ReadAt);
    private volatile Cached? _cached; // read on every request of an admin or supervisor, from many threads

    public async Task<AppSettings> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AppSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == AppSettings.SingletonId, ct) ?? new AppSettings();
    }

    public async Task<bool> RequiresTwoFactorForStaffAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (_cached is { } c && now - c.ReadAt < CacheFor) return c.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var value = await db.AppSettings.AsNoTracking().Where(s => s.Id == AppSettings.SingletonId)
            .Select(s => s.RequireTwoFactorForStaff).SingleOrDefaultAsync(ct);
        _cached = new Cached(value, now);
        return value;
    }

    /// <summary>Whether a user in <paramref name="roles"/> without two-factor sign-in must enrol before doing anything else.</summary>
    public async Task<bool> MustEnrolAsync(Func<string, bool> isInRole, bool twoFactorEnabled, CancellationToken ct = default) =>
        !twoFactorEnabled && SecurityDefinitions.StaffRoles.Any(isInRole) && await RequiresTwoFactorForStaffAsync(ct);

    public async Task<CommandResult> UpdateAsync(UserScope admin, SecuritySettingsInput input, CancellationToken ct = default)
    {
        // The page's policy is the first gate; the scope is read from the database, so a demoted admin is refused here.
        if (!admin.IsInRole(Roles.Admin)) return CommandResult.Forbidden("Only administrators can change the security settings.");
        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid)
            return new CommandResult(CommandOutcome.Invalid, "The security settings were not saved: " + string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)),
                validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList());

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AppSettings.SingleOrDefaultAsync(s => s.Id == AppSettings.SingletonId, ct);
        if (row is null) db.AppSettings.Add(row = new AppSettings());
        var required = input.RequireTwoFactorForStaff!.Value;
        if (row.RequireTwoFactorForStaff == required) return CommandResult.Unchanged("No security setting was changed.");

        var now = time.GetUtcNow().UtcDateTime;
        row.RequireTwoFactorForStaff = required;
        row.UpdatedAt = now;
        row.UpdatedBy = admin.DisplayName.Length > 100 ? admin.DisplayName[..100] : admin.DisplayName;
        AuditLog.Add(db, now, admin, AuditAction, nameof(AppSettings), AppSettings.SingletonId.ToString(),
            $"{SecurityDefinitions.RequireTwoFactor}: {(required ? "no → yes" : "yes → no")}");
        await db.SaveChangesAsync(ct);
        _cached = null;
        return CommandResult.Done(required
            ? "Two-factor sign-in is now required for admins and supervisors. Whoever has not set it up is sent to set it up."
            : "Two-factor sign-in is no longer required; those who set it up keep using it.");
    }

    /// <summary>Admins and supervisors (enabled accounts) who have not set up two-factor sign-in, by name: shown on the page.</summary>
    public async Task<IReadOnlyList<string>> StaffWithoutTwoFactorAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await (from u in db.Users
                           where !u.TwoFactorEnabled
                           where db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == Roles.Admin || r.Name == Roles.Supervisor)))
                           select new { u.UserName, u.DisplayName, u.LockoutEnd }).ToListAsync(ct);
        return [.. names.Where(n => !UserScopeLoader.IsDisabled(n.LockoutEnd))
            .Select(n => string.IsNullOrEmpty(n.DisplayName) ? n.UserName ?? "" : n.DisplayName).Order()];
    }
}
