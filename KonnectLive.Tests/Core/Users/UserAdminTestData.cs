using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Users;

/// <summary>Real Identity users in a <see cref="CoreTestDatabase"/>, and what the admin services wrote.</summary>
internal static class UserAdminTestData
{
    public static async Task<UserScope> CreateUserAsync(this CoreTestDatabase db, string userName, string role, int? dealershipId = null,
        bool csiVoice = true, string password = DemoData.Password)
    {
        await using var scope = db.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = $"{userName} (display)", DealershipId = dealershipId, CsiVoiceEnabled = csiVoice, LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return (await db.Services.GetRequiredService<UserScopeLoader>().LoadAsync(user.Id))!;
    }

    public static async Task<T> WithUsersAsync<T>(this CoreTestDatabase db, Func<UserManager<AppUser>, Task<T>> action)
    {
        await using var scope = db.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>());
    }

    public static async Task<AppUser> FindUserAsync(this CoreTestDatabase db, string userId)
    {
        await using var context = db.NewDbContext();
        return await context.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
    }

    public static async Task<List<AuditEntry>> AuditAsync(this CoreTestDatabase db, string? action = null)
    {
        await using var context = db.NewDbContext();
        return await context.AuditEntries.AsNoTracking().Where(a => action == null || a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }
}
