using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Users;

public sealed class UserScopeLoader(IDbContextFactory<KonnectDbContext> dbFactory)
{
    /// <summary>
    /// Disabled by an admin: locked out "for ever". A temporary lockout after failed sign-ins is not this: it refuses new
    /// sign-ins only, so nobody can throw an agent (or the admin) out of their open session by typing wrong passwords.
    /// </summary>
    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd is { } end && end.Year >= DateTimeOffset.MaxValue.Year;

    /// <summary>The scope of an enabled user, or null when the user is unknown or disabled.</summary>
    public async Task<UserScope?> LoadAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.DisplayName, u.UserName, u.DealershipId, u.CsiVoiceEnabled, u.LockoutEnd })
            .SingleOrDefaultAsync(ct);
        // A disabled account loses its scope at once, even with a valid cookie.
        if (user is null || IsDisabled(user.LockoutEnd)) return null;
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name!).ToListAsync(ct);
        return new UserScope(user.Id, string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName,
            user.DealershipId, user.CsiVoiceEnabled, roles);
    }
}
