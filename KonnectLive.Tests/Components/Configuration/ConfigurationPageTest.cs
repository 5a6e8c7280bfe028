using KonnectLive.Tests.Infrastructure;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using KonnectLive.Core;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KonnectLive.Tests.Components.Configuration;

/// <summary>
/// The configuration pages against the real services and a migrated SQLite file of their own (templates and CSI
/// settings seeded as at start), signed in as <see cref="Admin"/>. Derived from the CSI pages' base, without its agents.
/// </summary>
public abstract class ConfigurationPageTest : ComponentTest
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "konnectlive-bunit-config-" + Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;
    private readonly string _sqlitePath;

    protected ConfigurationPageTest()
    {
        var storage = new StorageOptions { SqlitePath = Path.Combine(_directory, "konnectlive.db"), SeedDemoData = false };
        _connectionString = storage.SqliteConnectionString();
        _sqlitePath = storage.SqlitePath;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = storage.SqlitePath,
            ["Storage:SeedDemoData"] = "false",
        }).Build();

        Ctx.Services.AddLogging();
        Ctx.Services.AddKonnectLiveCore(configuration);
        Ctx.Services.AddSingleton<TimeProvider>(Time);
        Ctx.Services.AddIdentityCore<AppUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<KonnectDbContext>();
        Ctx.Services.AddScoped<CurrentUser>();
        Auth = Ctx.AddAuthorization();
    }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.Zero));
    protected DateTime Now => Time.GetUtcNow().UtcDateTime;
    protected BunitAuthorizationContext Auth { get; }
    protected UserScope Admin { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        // The run's migrated file with the reference data, as DatabaseInitializer leaves a new database (SqliteTemplate).
        await SqliteTemplate.CopyToAsync(_sqlitePath, Time.GetUtcNow());
        Admin = await CreateUserAsync("ada", "Ada Admin", Roles.Admin);
        SignIn(Admin);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        using (var connection = new SqliteConnection(_connectionString)) SqliteConnection.ClearPool(connection);
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { } // a temp file left behind does no harm
    }

    protected Task<KonnectDbContext> CreateDbAsync() =>
        Ctx.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();

    protected async Task<UserScope> CreateUserAsync(string userName, string displayName, string role)
    {
        await using var scope = Ctx.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = displayName };
        var created = await users.CreateAsync(user);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return (await scope.ServiceProvider.GetRequiredService<UserScopeLoader>().LoadAsync(user.Id))!;
    }

    /// <summary>Signs the circuit in as <paramref name="user"/>, with the claims and policies the real sign-in cookie gives.</summary>
    protected void SignIn(UserScope user)
    {
        Auth.SetAuthorized(user.DisplayName);
        Auth.SetRoles([.. user.Roles]); // before the claims: in bUnit 2 setting roles rebuilds the principal without them
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        Auth.SetPolicies(user.IsInRole(Roles.Admin) ? [Policies.Admin, Policies.Supervision] : []);
    }

    /// <summary>Polls the database (or anything else the renderer is not told about) until it agrees, or fails after a while.</summary>
    protected static async Task EventuallyAsync(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting until {because}.");
            await Task.Delay(20);
        }
    }
}
