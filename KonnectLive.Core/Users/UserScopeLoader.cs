using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Users;

public sealed class UserScopeLoader(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    /// <summary>The scope of an enabled user, or null when the user is unknown or locked out.</summary>
    public async Task<UserScope?> LoadAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.DisplayName, u.UserName, u.DealershipId, u.CsiVoiceEnabled, u.LockoutEnd })
            .SingleOrDefaultAsync(ct);
        // A locked-out account loses its scope at once, even with a valid cookie.
        if (user is null || user.LockoutEnd > time.GetUtcNow()) return null;
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name!).ToListAsync(ct);
        return new UserScope(user.Id, string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName,
            user.DealershipId, user.CsiVoiceEnabled, roles);
    }
}
