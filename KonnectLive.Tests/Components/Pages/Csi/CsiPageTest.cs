using KonnectLive.Tests.Infrastructure;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using KonnectLive.Core;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using KonnectLive.Desktop.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace KonnectLive.Tests.Components.Pages.Csi;

/// <summary>
/// The CSI pages against the real services and a migrated SQLite file of their own, signed in as
/// <see cref="Me"/>. <see cref="Other"/> is a second agent in the same dealership.
/// </summary>
public abstract class CsiPageTest : ComponentTest
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>The snackbars of the page last rendered with <see cref="RenderChaseList"/> (what the agent is told).</summary>
    protected IRenderedComponent<MudSnackbarProvider> Snackbars { get; private set; } = null!;

    /// <summary>The chase list as the layout hosts it: at <paramref name="address"/>, beside MudBlazor's popover and snackbar providers.</summary>
    protected IRenderedComponent<Desktop.Components.Pages.Csi.ChaseList> RenderChaseList(string address = "csi/chase-list")
    {
        Navigation.NavigateTo(address);
        Ctx.Render<MudPopoverProvider>();
        Snackbars = Ctx.Render<MudSnackbarProvider>();
        return Ctx.Render<Desktop.Components.Pages.Csi.ChaseList>();
    }

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "konnectlive-bunit-" + Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;
    private readonly string _sqlitePath;
    private int _nextFocusId;

    protected CsiPageTest()
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
        Ctx.Services.AddScoped<CircuitConnection>();
        Ctx.Services.AddScoped<KonnectLive.Desktop.Components.Pages.Csi.CallHandOff>();
        Auth = Ctx.AddAuthorization();
    }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.Zero));
    protected DateTime Now => Time.GetUtcNow().UtcDateTime;
    protected BunitAuthorizationContext Auth { get; }
    protected int DealershipId { get; private set; }
    protected int OtherDealershipId { get; private set; }
    protected UserScope Me { get; private set; } = null!;
    protected UserScope Other { get; private set; } = null!;

    protected CallLockService Locks => Ctx.Services.GetRequiredService<CallLockService>();
    protected BunitNavigationManager Navigation => (BunitNavigationManager)Ctx.Services.GetRequiredService<NavigationManager>();
    protected ISnackbar Snackbar => Ctx.Services.GetRequiredService<ISnackbar>();

    public override async Task InitializeAsync()
    {
        // The run's migrated file with the reference data, as DatabaseInitializer leaves a new database (SqliteTemplate).
        await SqliteTemplate.CopyToAsync(_sqlitePath, Time.GetUtcNow());
        await using (var db = await CreateDbAsync())
        {
            var leeds = new Dealership { Code = "LEEDS", Name = "Leeds Motors" };
            var york = new Dealership { Code = "YORK", Name = "York Motors" };
            db.Dealerships.AddRange(leeds, york);
            await db.SaveChangesAsync();
            DealershipId = leeds.Id;
            OtherDealershipId = york.Id;
        }
        Me = await CreateUserAsync("alice", "Alice Agent", csiVoice: true);
        Other = await CreateUserAsync("bob", "Bob Jones", csiVoice: true);
        SignIn(Me);
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

    protected async Task<UserScope> CreateUserAsync(string userName, string displayName, bool csiVoice)
    {
        await using var scope = Ctx.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = displayName, DealershipId = DealershipId, CsiVoiceEnabled = csiVoice };
        var created = await users.CreateAsync(user);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        return (await scope.ServiceProvider.GetRequiredService<UserScopeLoader>().LoadAsync(user.Id))!;
    }

    /// <summary>Signs the circuit in as <paramref name="user"/>, with the claims the real sign-in cookie carries.</summary>
    protected void SignIn(UserScope user)
    {
        Auth.SetAuthorized(user.DisplayName);
        Auth.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, user.UserId),
            new Claim(KonnectClaims.CsiVoice, user.CsiVoiceEnabled ? "true" : "false"));
        Auth.SetPolicies(user.CsiVoiceEnabled ? [Policies.CsiVoice] : []);
    }

    /// <summary>An Awaiting survey record for a new customer with one mobile number; returns the record's id.</summary>
    protected async Task<int> AddRecordAsync(string title, string firstName, string lastName, DateTime? lastAttemptAt = null,
        int attempts = 0, int? dealershipId = null, SurveyStatus status = SurveyStatus.Awaiting)
    {
        var dealership = dealershipId ?? DealershipId;
        var n = Interlocked.Increment(ref _nextFocusId);
        var customer = new Customer
        {
            DealershipId = dealership, Title = title, FirstName = firstName, LastName = lastName,
            Email = $"{firstName.ToLowerInvariant()}@example.test",
            Phones = [new CustomerPhone { Position = 1, Number = $"+4474001234{n:D2}", Type = PhoneType.Mobile }],
        };
        var vehicle = new Vehicle { Registration = $"AB{n:D2} CDE", Make = "Ford", Model = "Puma" };
        customer.Vehicles.Add(vehicle);
        var record = SurveyRecord.Create($"FOCUS-{n}", dealership, customer, vehicle, status, Now.AddDays(-3), null,
            EventType.Sales, Now.AddDays(-10), Now.AddDays(-3));
        if (attempts > 0) record.SeedAttempts(attempts, lastAttemptAt);

        await using var db = await CreateDbAsync();
        db.SurveyRecords.Add(record);
        await db.SaveChangesAsync();
        return record.Id;
    }

    protected async Task<SurveyRecord> GetRecordAsync(int recordId)
    {
        await using var db = await CreateDbAsync();
        return await db.SurveyRecords.AsNoTracking().Include(r => r.Customer).ThenInclude(c => c.Phones).SingleAsync(r => r.Id == recordId);
    }

    protected async Task LockAsAsync(UserScope agent, int recordId)
    {
        var result = await Locks.AcquireAsync(agent, recordId, TestPage.Token);
        Assert.True(result.Succeeded, result.Message);
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
