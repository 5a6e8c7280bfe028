using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Users;

/// <summary>
/// Configuration → Users: list, create, edit, disable, enable and reset passwords, through Identity's
/// <see cref="UserManager{TUser}"/>. Each command runs in its own DI scope (a short-lived DbContext) and one
/// transaction, with its audit entry; the "last admin" checks and the write share that transaction, so on SQLite
/// (one writer) two admins cannot demote each other at once.
/// </summary>
/// <remarks>
/// Disabled means <c>LockoutEnd = DateTimeOffset.MaxValue</c> with a new security stamp: sign-in is refused,
/// <see cref="UserScopeLoader"/> returns null (so every service refuses them at once), and their cookie and open
/// circuits are signed out at once through <see cref="SessionRevocations"/>, and at the latest at the next security-stamp
/// check (the app's revalidation interval).
/// </remarks>
public sealed class UserAdminService(
    IServiceScopeFactory scopes,
    IDbContextFactory<KonnectDbContext> dbFactory,
    UserAdminGuard guard,
    IValidator<CreateUserCommand> createValidator,
    IValidator<EditUserCommand> editValidator,
    IValidator<ResetPasswordCommand> resetValidator,
    SessionRevocations revocations,
    CallLockService locks,
    TimeProvider time)
{
    private const string Entity = "User";
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <exception cref="UnauthorizedAccessException">The caller is not an enabled admin.</exception>
    public async Task<IReadOnlyList<UserRow>> ListAsync(UserScope? by, UserListFilter? filter = null, CancellationToken ct = default)
    {
        _ = await guard.AdminAsync(by, ct) ?? throw new UnauthorizedAccessException("Only administrators can list users.");
        filter ??= new UserListFilter();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // Compared lower case on both sides: LIKE ignores case on SQLite but not on PostgreSQL. Wildcards typed are escaped.
            var pattern = "%" + filter.Search.Trim().ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(u => EF.Functions.Like(u.UserName!.ToLower(), pattern, "\\") || EF.Functions.Like(u.DisplayName.ToLower(), pattern, "\\"));
        }
        if (!string.IsNullOrWhiteSpace(filter.Role))
        {
            var role = filter.Role;
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
        }
        if (filter.HeadOfficeOnly) query = query.Where(u => u.DealershipId == null);
        else if (filter.DealershipId is { } dealershipId) query = query.Where(u => u.DealershipId == dealershipId);

        var users = await query
            .OrderBy(u => u.DisplayName).ThenBy(u => u.UserName)
            .Select(u => new { u.Id, u.UserName, u.DisplayName, u.DealershipId, DealershipName = u.Dealership == null ? null : u.Dealership.Name,
                u.CsiVoiceEnabled, u.LockoutEnd, u.Extension })
            .ToListAsync(ct);
        var ids = users.Select(u => u.Id).ToList();
        var roles = (await (from ur in db.UserRoles
                            join r in db.Roles on ur.RoleId equals r.Id
                            where ids.Contains(ur.UserId)
                            select new { ur.UserId, r.Name }).ToListAsync(ct))
            .ToLookup(x => x.UserId, x => x.Name!);
        var now = time.GetUtcNow();
        return users.Select(u =>
        {
            var status = StatusOf(u.LockoutEnd, now);
            return new UserRow(u.Id, u.UserName ?? "", u.DisplayName, roles[u.Id].OrderBy(RoleOrder).ToList(), u.DealershipId, u.DealershipName,
                u.CsiVoiceEnabled, status, status == UserStatus.LockedOut ? u.LockoutEnd : null, u.Extension);
        }).ToList();
    }

    public async Task<UserAdminResult> CreateAsync(CreateUserCommand command, UserScope? by, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return UserAdminResult.Forbidden();
        var validation = await createValidator.ValidateAsync(command, ct);
        if (!validation.IsValid) return UserAdminResult.Invalid(validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)));

        await using var scope = scopes.CreateAsyncScope();
        var (users, db) = Resolve(scope);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var dealership = await DealershipTextAsync(db, command.DealershipId, ct);
        if (dealership is null) return UserAdminResult.Invalid([(nameof(command.DealershipId), "That dealership no longer exists.")]);
        var extension = UserAdminRules.NormaliseExtension(command.Extension);
        if (await ExtensionTakenAsync(db, extension, null, ct) is { } taken) return taken;

        var user = new AppUser
        {
            UserName = command.UserName.Trim(), DisplayName = command.DisplayName.Trim(), DealershipId = command.DealershipId,
            CsiVoiceEnabled = command.CsiVoiceEnabled, LockoutEnabled = true, Extension = extension,
        };
        var password = command.GeneratePassword ? UserAdminPasswords.Generate() : command.Password;
        IdentityResult created;
        try { created = await users.CreateAsync(user, password); }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex)) { return ExtensionJustTaken(extension); }
        if (!created.Succeeded) return IdentityFailure(created, nameof(command.Password));
        var roles = command.Roles.Distinct().OrderBy(RoleOrder).ToList();
        var added = await users.AddToRolesAsync(user, roles);
        if (!added.Succeeded) return IdentityFailure(added, nameof(command.Roles));

        AuditLog.Add(db, Now, admin, "user.created", Entity, user.Id,
            $"Created user '{user.UserName}' ({user.DisplayName}): roles {string.Join(", ", roles)}; {dealership}; " +
            $"CSI Voice {OnOff(user.CsiVoiceEnabled)}; extension {extension ?? "none"}; password {(command.GeneratePassword ? "generated" : "set by the admin")}.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new UserAdminResult(UserAdminOutcome.Done, $"User '{user.UserName}' created.", [], user.Id,
            command.GeneratePassword ? password : null);
    }

    /// <remarks>
    /// A change of roles, dealership or CSI Voice renews the user's security stamp: their sessions end within the
    /// revalidation interval and they sign in again with their new rights (the cookie's claims drive menus and routes).
    /// A new display name alone does not sign them out.
    /// </remarks>
    public async Task<UserAdminResult> EditAsync(EditUserCommand command, UserScope? by, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return UserAdminResult.Forbidden();
        var validation = await editValidator.ValidateAsync(command, ct);
        if (!validation.IsValid) return UserAdminResult.Invalid(validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)));

        await using var scope = scopes.CreateAsyncScope();
        var (users, db) = Resolve(scope);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(command.UserId);
        if (user is null) return UserAdminResult.NotFound();

        var before = (await users.GetRolesAsync(user)).ToHashSet();
        var after = command.Roles.Distinct().ToHashSet();
        if (before.Contains(Roles.Admin) && !after.Contains(Roles.Admin))
        {
            if (user.Id == admin.UserId) return UserAdminResult.Refused("You cannot remove your own Admin role: ask another admin to do it.");
            if (!IsDisabled(user) && await OtherEnabledAdminsAsync(db, user.Id, ct) == 0)
                return UserAdminResult.Refused("This is the last enabled admin: make someone else an admin first.");
        }

        var changes = new List<string>();
        var displayName = command.DisplayName.Trim();
        if (displayName != user.DisplayName) changes.Add($"display name '{user.DisplayName}' → '{displayName}'");
        var removed = before.Except(after).OrderBy(RoleOrder).ToList();
        var added = after.Except(before).OrderBy(RoleOrder).ToList();
        if (added.Count > 0) changes.Add($"roles added: {string.Join(", ", added)}");
        if (removed.Count > 0) changes.Add($"roles removed: {string.Join(", ", removed)}");
        if (command.DealershipId != user.DealershipId)
        {
            var to = await DealershipTextAsync(db, command.DealershipId, ct);
            if (to is null) return UserAdminResult.Invalid([(nameof(command.DealershipId), "That dealership no longer exists.")]);
            changes.Add($"{await DealershipTextAsync(db, user.DealershipId, ct)} → {to}");
        }
        if (command.CsiVoiceEnabled != user.CsiVoiceEnabled) changes.Add($"CSI Voice {OnOff(user.CsiVoiceEnabled)} → {OnOff(command.CsiVoiceEnabled)}");
        var extension = UserAdminRules.NormaliseExtension(command.Extension);
        if (extension != user.Extension)
        {
            if (await ExtensionTakenAsync(db, extension, user.Id, ct) is { } taken) return taken;
            changes.Add($"extension {user.Extension ?? "none"} → {extension ?? "none"}");
        }
        if (changes.Count == 0) return new UserAdminResult(UserAdminOutcome.Unchanged, "Nothing to save: no changes.", [], user.Id);

        var rightsChanged = added.Count + removed.Count > 0 || command.DealershipId != user.DealershipId || command.CsiVoiceEnabled != user.CsiVoiceEnabled;
        user.DisplayName = displayName;
        user.DealershipId = command.DealershipId;
        user.CsiVoiceEnabled = command.CsiVoiceEnabled;
        user.Extension = extension;
        if (removed.Count > 0 && await users.RemoveFromRolesAsync(user, removed) is { Succeeded: false } r) return IdentityFailure(r, nameof(command.Roles));
        if (added.Count > 0 && await users.AddToRolesAsync(user, added) is { Succeeded: false } a) return IdentityFailure(a, nameof(command.Roles));
        AuditLog.Add(db, Now, admin, "user.updated", Entity, user.Id,
            $"Updated user '{user.UserName}': {string.Join("; ", changes)}{(rightsChanged ? " (signed out to pick up the new rights)" : "")}.");
        IdentityResult saved;
        try { saved = rightsChanged ? await users.UpdateSecurityStampAsync(user) : await users.UpdateAsync(user); }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex)) { return ExtensionJustTaken(extension); }
        if (!saved.Succeeded) return IdentityFailure(saved, nameof(command.DisplayName));
        await tx.CommitAsync(ct);
        if (rightsChanged) revocations.Revoke(user.Id);
        return new UserAdminResult(UserAdminOutcome.Done, $"User '{user.UserName}' saved.", [], user.Id);
    }

    /// <summary>Stops the user at once: sign-in refused, services refuse them, sessions signed out at the next check.</summary>
    public async Task<UserAdminResult> DisableAsync(string userId, UserScope? by, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return UserAdminResult.Forbidden();
        if (userId == admin.UserId) return UserAdminResult.Refused("You cannot disable your own account.");

        await using var scope = scopes.CreateAsyncScope();
        var (users, db) = Resolve(scope);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(userId);
        if (user is null) return UserAdminResult.NotFound();
        if (IsDisabled(user)) return new UserAdminResult(UserAdminOutcome.Unchanged, $"'{user.UserName}' was already disabled.", [], user.Id);
        if (await users.IsInRoleAsync(user, Roles.Admin) && await OtherEnabledAdminsAsync(db, user.Id, ct) == 0)
            return UserAdminResult.Refused("This is the last enabled admin and cannot be disabled.");

        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        AuditLog.Add(db, Now, admin, "user.disabled", Entity, user.Id, $"Disabled user '{user.UserName}' ({user.DisplayName}); their sessions were ended.");
        // A new stamp is what signs their cookie and open circuits out; it saves the lockout and the audit entry with it.
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded) return IdentityFailure(saved, "");
        await tx.CommitAsync(ct);
        revocations.Revoke(user.Id);
        // Their customers go back to the list now, not when the lease runs out: nobody else could call them meanwhile.
        var released = await locks.ReleaseAllHeldByAsync(user.Id, "the account was disabled", ct);
        return new UserAdminResult(UserAdminOutcome.Done, $"'{user.UserName}' is disabled and has been signed out" +
            (released == 0 ? "." : $"; {released} customer{(released == 1 ? "" : "s")} they had open went back to the chase list."), [], user.Id);
    }

    /// <summary>Lets a disabled user sign in again; also lifts a lockout after too many failed sign-ins.</summary>
    public async Task<UserAdminResult> EnableAsync(string userId, UserScope? by, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return UserAdminResult.Forbidden();

        await using var scope = scopes.CreateAsyncScope();
        var (users, db) = Resolve(scope);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(userId);
        if (user is null) return UserAdminResult.NotFound();
        var status = StatusOf(user.LockoutEnd, time.GetUtcNow());
        if (status == UserStatus.Active) return new UserAdminResult(UserAdminOutcome.Unchanged, $"'{user.UserName}' was already enabled.", [], user.Id);

        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        AuditLog.Add(db, Now, admin, "user.enabled", Entity, user.Id,
            status == UserStatus.Disabled ? $"Enabled user '{user.UserName}' ({user.DisplayName})."
                                          : $"Unlocked user '{user.UserName}' ({user.DisplayName}) after failed sign-ins.");
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded) return IdentityFailure(saved, "");
        await tx.CommitAsync(ct);
        return new UserAdminResult(UserAdminOutcome.Done, $"'{user.UserName}' can sign in again.", [], user.Id);
    }

    /// <summary>Sets the admin's password, or a generated one (returned once). The user's sessions end: they sign in with it.</summary>
    public async Task<UserAdminResult> ResetPasswordAsync(ResetPasswordCommand command, UserScope? by, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return UserAdminResult.Forbidden();
        var validation = await resetValidator.ValidateAsync(command, ct);
        if (!validation.IsValid) return UserAdminResult.Invalid(validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)));

        await using var scope = scopes.CreateAsyncScope();
        var (users, db) = Resolve(scope);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(command.UserId);
        if (user is null) return UserAdminResult.NotFound();

        var password = command.GeneratePassword ? UserAdminPasswords.Generate() : command.NewPassword;
        // Identity's own policy too (it is what sign-in was configured with), without needing a reset token provider.
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
            if (await validator.ValidateAsync(users, user, password) is { Succeeded: false } failed) errors.AddRange(failed.Errors);
        if (errors.Count > 0) return IdentityFailure(IdentityResult.Failed([.. errors]), nameof(command.NewPassword));

        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.AccessFailedCount = 0;
        AuditLog.Add(db, Now, admin, "user.password-reset", Entity, user.Id,
            $"Reset the password of '{user.UserName}' ({(command.GeneratePassword ? "generated, shown once to the admin" : "set by the admin")}); their sessions were ended.");
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded) return IdentityFailure(saved, nameof(command.NewPassword));
        await tx.CommitAsync(ct);
        revocations.Revoke(user.Id);
        return new UserAdminResult(UserAdminOutcome.Done, $"New password set for '{user.UserName}'.", [], user.Id,
            command.GeneratePassword ? password : null);
    }

    public static UserStatus StatusOf(DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        lockoutEnd is not { } end || end <= now ? UserStatus.Active
        : end.Year >= DateTimeOffset.MaxValue.Year ? UserStatus.Disabled
        : UserStatus.LockedOut;

    private static bool IsDisabled(AppUser user) => UserScopeLoader.IsDisabled(user.LockoutEnd);

    /// <summary>Admins other than <paramref name="userId"/> who are not disabled (a temporary lockout passes, so it counts).</summary>
    private static async Task<int> OtherEnabledAdminsAsync(KonnectDbContext db, string userId, CancellationToken ct)
    {
        var lockouts = await (from ur in db.UserRoles
                              join r in db.Roles on ur.RoleId equals r.Id
                              join u in db.Users on ur.UserId equals u.Id
                              where r.Name == Roles.Admin && u.Id != userId
                              select u.LockoutEnd).ToListAsync(ct);
        return lockouts.Count(l => l is not { } end || end.Year < DateTimeOffset.MaxValue.Year);
    }

    /// <summary>"head office" or "dealership Name (CODE)"; null when the dealership does not exist.</summary>
    private static async Task<string?> DealershipTextAsync(KonnectDbContext db, int? dealershipId, CancellationToken ct)
    {
        if (dealershipId is not { } id) return "head office";
        var d = await db.Dealerships.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Code, x.Name }).SingleOrDefaultAsync(ct);
        return d is null ? null : $"dealership {d.Name} ({d.Code})";
    }

    /// <summary>
    /// An extension another user has (or that is another user's user name: call events name agents by either, and the
    /// user name would win) is refused with a message naming who has it. Checked inside the command's transaction; the
    /// unique index is the backstop.
    /// </summary>
    private static async Task<UserAdminResult?> ExtensionTakenAsync(KonnectDbContext db, string? extension, string? userId, CancellationToken ct)
    {
        if (extension is null) return null;
        var holder = await db.Users.AsNoTracking()
            .Where(u => u.Id != userId && (u.Extension == extension || u.NormalizedUserName == extension))
            .Select(u => new { u.UserName, u.DisplayName, u.Extension }).FirstOrDefaultAsync(ct);
        if (holder is null) return null;
        return UserAdminResult.Invalid([(nameof(CreateUserCommand.Extension), holder.Extension == extension
            ? $"Extension {extension} is already {holder.DisplayName}'s ({holder.UserName}): choose another, or remove it from them first."
            : $"{extension} is the user name of {holder.DisplayName}: call events naming it would reach them. Choose another extension.")]);
    }

    /// <summary>Another admin gave the same extension to someone else between our check and our write.</summary>
    private static UserAdminResult ExtensionJustTaken(string? extension) =>
        UserAdminResult.Invalid([(nameof(CreateUserCommand.Extension), $"Extension {extension} was just given to another user: choose another.")]);

    private static (UserManager<AppUser> Users, KonnectDbContext Db) Resolve(AsyncServiceScope scope) =>
        (scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(), scope.ServiceProvider.GetRequiredService<KonnectDbContext>());

    private static UserAdminResult IdentityFailure(IdentityResult result, string property) =>
        UserAdminResult.Invalid(result.Errors.Select(e => (e.Code.Contains("UserName", StringComparison.Ordinal) ? nameof(CreateUserCommand.UserName) : property,
            e.Code == "DuplicateUserName" ? "That user name is already taken." : e.Description)));

    private static int RoleOrder(string role) => Array.IndexOf(Roles.All, role) is var i and >= 0 ? i : int.MaxValue;
    private static string OnOff(bool on) => on ? "on" : "off";
}
