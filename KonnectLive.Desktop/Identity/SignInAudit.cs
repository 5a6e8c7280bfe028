using System.Net;
using System.Security.Claims;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Desktop.Identity;

/// <summary>
/// Audit entries for signing in and out. A failed attempt records the user name tried (never the password) and whether
/// the account is, or has just become, locked out. Writing the entry never stops a sign-in: a failure is logged instead.
/// </summary>
public sealed class SignInAudit(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time, ILogger<SignInAudit> logger)
{
    public const string SignedInAction = "user.signed-in";
    public const string FailedAction = "user.sign-in-failed";
    public const string SignedOutAction = "user.signed-out";
    private const int MaxTriedNameLength = 100;

    public Task SignedInAsync(AppUser user, IPAddress? from, CancellationToken ct = default) =>
        WriteAsync(ScopeOf(user), SignedInAction, user.Id, $"Signed in as '{user.UserName}'{From(from)}.", ct);

    /// <param name="userNameTried">What was typed as the user name, trimmed.</param>
    /// <param name="user">The account of that name, read before the attempt; null when there is none.</param>
    /// <param name="wasLockedOut">Whether the account was already locked out before the attempt.</param>
    public Task FailedAsync(string userNameTried, AppUser? user, bool wasLockedOut, SignInResult result, IPAddress? from, CancellationToken ct = default)
    {
        var tried = userNameTried.Length > MaxTriedNameLength ? userNameTried[..MaxTriedNameLength] + "…" : userNameTried;
        var why = user is null ? "no user has that name"
            : UserScopeLoader.IsDisabled(user.LockoutEnd) ? "the account is disabled"
            : result.IsLockedOut && wasLockedOut ? "the account is locked out after earlier failed attempts"
            : result.IsLockedOut ? "wrong password; too many failed attempts, so the account is now locked out"
            : result.IsNotAllowed ? "the account is not allowed to sign in"
            : "wrong password";
        // Nobody is signed in: the entry is the system's, about the account (when there is one).
        return WriteAsync(null, FailedAction, user?.Id, $"Failed sign-in as '{tried}'{From(from)}: {why}.", ct);
    }

    /// <summary>A sign-in refused before its password was looked at, because of earlier failures (<see cref="SignInThrottle"/>).</summary>
    public Task PausedAsync(string userNameTried, AppUser? user, SignInPause pause, IPAddress? from, CancellationToken ct = default)
    {
        var tried = userNameTried.Length > MaxTriedNameLength ? userNameTried[..MaxTriedNameLength] + "…" : userNameTried;
        var why = pause.Kind == SignInPauseKind.Address
            ? $"refused without checking the password: {pause.Failures} failed sign-ins from this address in the last {pause.WindowMinutes} minutes"
            : $"refused without checking the password: {pause.Failures} failed attempts at this account from this address in the last {pause.WindowMinutes} minutes";
        return WriteAsync(null, FailedAction, user?.Id, $"Failed sign-in as '{tried}'{From(from)}: {why}.", ct);
    }

    public const string TwoFactorFailedAction = "user.two-factor-failed";
    public const string RecoveryCodeUsedAction = "user.recovery-code-used";
    public const string TwoFactorEnabledAction = "user.two-factor-enabled";
    public const string TwoFactorDisabledAction = "user.two-factor-disabled";

    public Task TwoFactorFailedAsync(AppUser user, bool recoveryCode, IPAddress? from, CancellationToken ct = default) =>
        WriteAsync(null, TwoFactorFailedAction, user.Id,
            $"Failed two-factor sign-in as '{user.UserName}'{From(from)}: wrong {(recoveryCode ? "recovery code" : "authenticator code")}.", ct);

    public Task RecoveryCodeUsedAsync(AppUser user, int left, IPAddress? from, CancellationToken ct = default) =>
        WriteAsync(ScopeOf(user), RecoveryCodeUsedAction, user.Id, $"Signed in as '{user.UserName}' with a recovery code{From(from)}; {left} left.", ct);

    public Task TwoFactorChangedAsync(AppUser user, bool enabled, IPAddress? from, CancellationToken ct = default) =>
        WriteAsync(ScopeOf(user), enabled ? TwoFactorEnabledAction : TwoFactorDisabledAction, user.Id,
            enabled ? $"Two-factor sign-in turned on for '{user.UserName}'{From(from)}; 10 recovery codes issued."
                    : $"Two-factor sign-in turned off for '{user.UserName}'{From(from)}.", ct);

    /// <summary>Records who signed out; nothing when the request was not signed in.</summary>
    public Task SignedOutAsync(ClaimsPrincipal principal, IPAddress? from, CancellationToken ct = default)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || id is null) return Task.CompletedTask;
        var name = principal.FindFirstValue(KonnectClaims.DisplayName) ?? principal.Identity.Name ?? id;
        var scope = new UserScope(id, name, null, false, []);
        return WriteAsync(scope, SignedOutAction, id, $"Signed out as '{principal.Identity.Name}'{From(from)}.", ct);
    }

    private static UserScope ScopeOf(AppUser user) =>
        new(user.Id, string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName, user.DealershipId, user.CsiVoiceEnabled, []);

    private static string From(IPAddress? address) => address is null ? "" : $" from {(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)}";

    private async Task WriteAsync(UserScope? by, string action, string? userId, string details, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            AuditLog.Add(db, time.GetUtcNow().UtcDateTime, by, action, "User", userId, details);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            logger.LogError(ex, "Could not write the audit entry {Action}: {Details}", action, details);
        }
    }
}
