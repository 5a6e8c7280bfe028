using System.Security.Cryptography;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;

namespace KonnectLive.Desktop.Identity;

/// <summary>
/// <c>KonnectLive.Desktop --create-admin NAME</c>: how the first admin gets in on a database without demo data. Migrates,
/// creates a head-office admin with a random password, prints that password once, and exits without serving. Refuses a
/// name that is taken. The admin changes the password on Configuration → Users after signing in.
/// </summary>
public static class FirstAdmin
{
    public const string Switch = "--create-admin";

    public static async Task<int> CreateAndExitAsync(WebApplication app, string? userName)
    {
        if (string.IsNullOrWhiteSpace(userName) || userName.StartsWith('-'))
        {
            Console.Error.WriteLine($"KonnectLive: usage: KonnectLive.Desktop {Switch} USERNAME");
            return 1;
        }
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
            var (ok, passwordOrError) = await CreateAsync(scope.ServiceProvider, userName.Trim());
            if (!ok)
            {
                Console.Error.WriteLine($"KonnectLive: could not create the admin: {passwordOrError}");
                return 1;
            }
            Console.WriteLine($"KonnectLive: admin '{userName.Trim()}' created. Password (shown once, change it after signing in): {passwordOrError}");
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"KonnectLive: could not create the admin: {e.Message}");
            return 1;
        }
    }

    /// <returns>Whether it was created, and the generated password (or why not).</returns>
    public static async Task<(bool Created, string PasswordOrError)> CreateAsync(IServiceProvider services, string userName)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByNameAsync(userName) is not null) return (false, $"a user named '{userName}' already exists.");
        var password = NewPassword();
        var user = new AppUser { UserName = userName, DisplayName = userName, LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return (false, string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, Roles.Admin);
        await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        AuditLog.Add(db, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, null, "user.created", "User", user.Id,
            $"Admin '{userName}' created from the command line ({Switch}).");
        await db.SaveChangesAsync();
        return (true, password);
    }

    /// <summary>20 characters from an alphabet without look-alikes, with each class Identity's rules ask for.</summary>
    private static string NewPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = Enumerable.Range(0, 17).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
        return new string([.. chars]) + "-Ka7";
    }
}
