using KonnectLive.Core.Calling;
using System.Text.RegularExpressions;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core;

/// <summary>One demo-seeded database shared by the read-only checks of this class.</summary>
public sealed class SeededDatabaseFixture : IAsyncLifetime
{
    public CoreTestDatabase Db { get; private set; } = null!;

    public async Task InitializeAsync() => Db = await CoreTestDatabase.CreateAsync(seedDemoData: true);

    public async Task DisposeAsync() => await Db.DisposeAsync();
}

public sealed class DatabaseInitializerTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private static readonly Regex DramaRange = new(@"^\+44(7700900\d{3}|113496\d{4}|207946\d{4})$");

    private CoreTestDatabase Db => fixture.Db;

    [Fact]
    public async Task InitializeAsync_SeedDemoDataOnEmptyDatabase_CreatesThreeDealerships()
    {
        await using var db = Db.NewDbContext();

        var dealerships = await db.Dealerships.OrderBy(d => d.Code).Select(d => new { d.Code, d.Name }).ToListAsync();

        Assert.Equal(["EFA", "NGM", "SBC"], dealerships.Select(d => d.Code));
        Assert.Contains(dealerships, d => d.Name == "Northgate Motors");
    }

    [Fact]
    public async Task DemoPassword_MeetsTheAppsPasswordPolicy()
    {
        // Demo users are stored with one precomputed hash (no password validation on the way in): the policy still holds.
        await using var scope = Db.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

        foreach (var validator in users.PasswordValidators)
            Assert.True((await validator.ValidateAsync(users, new AppUser(), DemoData.Password)).Succeeded);
        Assert.NotEmpty(users.PasswordValidators);
    }

    [Theory]
    [InlineData("agent.north1", "Nadia North", "NGM", true, Roles.Agent)]
    [InlineData("agent.north2", "Noah Northcote", "NGM", true, Roles.Agent)]
    [InlineData("agent.south", "Sam Southall", "SBC", true, Roles.Agent)]
    [InlineData("agent.novoice", "Nell Novak", "NGM", false, Roles.Agent)]
    [InlineData("ho.agent", "Harper Office", null, true, Roles.Agent)]
    [InlineData("supervisor", "Sasha Supervisor", null, true, Roles.Supervisor)]
    [InlineData("admin", "Ada Admin", null, true, Roles.Admin)]
    public async Task InitializeAsync_SeedDemoData_CreatesDemoUserWhoCanSignIn(
        string userName, string displayName, string? dealerCode, bool csiVoice, string role)
    {
        await using var scope = Db.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

        var user = await users.FindByNameAsync(userName);

        Assert.NotNull(user);
        Assert.True(await users.CheckPasswordAsync(user, DemoData.Password));
        Assert.False(await users.CheckPasswordAsync(user, "WrongPassword!1"));
        Assert.Equal(displayName, user.DisplayName);
        Assert.Equal(csiVoice, user.CsiVoiceEnabled);
        Assert.Equal([role], await users.GetRolesAsync(user));
        await using var db = Db.NewDbContext();
        var code = user.DealershipId is { } id ? await db.Dealerships.Where(d => d.Id == id).Select(d => d.Code).SingleAsync() : null;
        Assert.Equal(dealerCode, code);

        var scopeLoaded = await Db.Services.GetRequiredService<UserScopeLoader>().LoadAsync(user.Id);
        Assert.NotNull(scopeLoaded);
        Assert.Equal(csiVoice, scopeLoaded.CanCall);
        Assert.Equal(dealerCode is null, scopeLoaded.IsHeadOffice);
        Assert.True(scopeLoaded.IsInRole(role));
    }

    [Fact]
    public async Task InitializeAsync_SeedDemoData_ExactlyTheSevenDemoUsers()
    {
        await using var db = Db.NewDbContext();

        var names = await db.Users.Select(u => u.UserName!).OrderBy(n => n).ToListAsync();

        Assert.Equal(["admin", "agent.north1", "agent.north2", "agent.novoice", "agent.south", "ho.agent", "supervisor"], names);
    }

    [Fact]
    public async Task InitializeAsync_SeedDemoData_RecordsInEveryStatusWithAttemptedAndNeverAttempted()
    {
        await using var db = Db.NewDbContext();
        var records = await db.SurveyRecords.AsNoTracking().ToListAsync();

        Assert.True(records.Count >= 300, $"only {records.Count} records");
        Assert.Equal(Enum.GetValues<SurveyStatus>().Order(), records.Select(r => r.Status).Distinct().Order());
        var awaiting = records.Where(r => r.Status == SurveyStatus.Awaiting).ToList();
        Assert.Contains(awaiting, r => r.AttemptCount == 0 && r.LastAttemptAt is null && r.ChaseKey == SurveyRecord.NeverAttemptedKey);
        Assert.Contains(awaiting, r => r.AttemptCount > 0 && r.LastAttemptAt < Db.Now && r.ChaseKey == r.LastAttemptAt);
        Assert.All(records, r => Assert.Null(r.LockHolderId));
        Assert.Equal(3, records.Select(r => r.DealershipId).Distinct().Count());
        Assert.Equal(records.Count, records.Select(r => r.FocusRecordId).Distinct().Count());
    }

    [Fact]
    public async Task InitializeAsync_SeedDemoData_AttemptCountsAreBackedByCallsAfterTheSurveyArrived()
    {
        await using var db = Db.NewDbContext();
        var attempted = await db.SurveyRecords.AsNoTracking().Where(r => r.AttemptCount > 0).ToListAsync();
        var calls = await db.CallAttempts.AsNoTracking().ToListAsync();

        Assert.NotEmpty(attempted);
        Assert.All(attempted, r =>
        {
            var own = calls.Where(c => c.SurveyRecordId == r.Id).ToList();
            Assert.Equal(r.AttemptCount, own.Count);
            Assert.Equal(r.LastAttemptAt, own.Max(c => c.RecordedAt));
            Assert.True(r.LastAttemptAt > r.StatusChangedAt, $"{r.FocusRecordId}: last call before the survey arrived");
            Assert.All(own, c => Assert.Equal(OutcomeBehaviour.KeepOnList, c.Behaviour));
        });
        Assert.Equal(calls.Count, attempted.Sum(r => r.AttemptCount));
    }

    [Fact]
    public async Task InitializeAsync_SeedDemoData_EachCustomerHasOneToFiveDramaRangeNumbers()
    {
        await using var db = Db.NewDbContext();
        var customers = await db.Customers.AsNoTracking().Include(c => c.Phones).ToListAsync();

        Assert.All(customers, c =>
        {
            Assert.InRange(c.Phones.Count, 1, 5);
            Assert.Equal(Enumerable.Range(1, c.Phones.Count), c.Phones.Select(p => p.Position).Order());
            Assert.All(c.Phones, p => Assert.Matches(DramaRange, p.Number));
        });
        var counts = customers.Select(c => c.Phones.Count).Distinct().Order().ToList();
        Assert.Equal([1, 2, 3, 4, 5], counts);
        var numbers = customers.SelectMany(c => c.Phones).Select(p => p.Number).ToList();
        Assert.Contains(numbers, n => n.StartsWith("+447700900"));
        Assert.Contains(numbers, n => n.StartsWith("+44113496"));
        Assert.Contains(numbers, n => n.StartsWith("+44207946"));
    }

    [Fact]
    public async Task InitializeAsync_SeedDemoData_SomeNumbersAndEmailsUnsubscribed()
    {
        await using var db = Db.NewDbContext();
        var customers = await db.Customers.AsNoTracking().Include(c => c.Phones).ToListAsync();
        var phones = customers.SelectMany(c => c.Phones).ToList();

        Assert.Contains(phones, p => p.CallUnsubscribed && p.CallUnsubscribedBy is not null && p.CallUnsubscribedAt < Db.Now);
        Assert.Contains(phones, p => p.SmsUnsubscribed && p.SmsUnsubscribedBy is not null);
        Assert.Contains(phones, p => !p.CallUnsubscribed);
        Assert.Contains(customers, c => c.EmailUnsubscribed && c.EmailUnsubscribedBy is not null);
        Assert.Contains(customers, c => c.Email is not null && !c.EmailUnsubscribed);
        Assert.All(customers.Where(c => c.Email is not null), c => Assert.EndsWith("@example.com", c.Email));
    }

    [Fact]
    public async Task InitializeAsync_RunTwice_DuplicatesNothing()
    {
        await using var fresh = await CoreTestDatabase.CreateAsync(seedDemoData: true);
        var before = await CountEverythingAsync(fresh);

        await fresh.InitializeAsync();

        Assert.Equal(before, await CountEverythingAsync(fresh));
        Assert.Equal((3, 7, 3, 6), (before.Dealerships, before.Users, before.Roles, before.Outcomes));
    }

    [Fact]
    public async Task InitializeAsync_WithoutDemoData_SeedsOnlyRolesAndDefaultOutcomes()
    {
        await using var empty = await CoreTestDatabase.CreateAsync(seedDemoData: false);
        await empty.InitializeAsync();

        var counts = await CountEverythingAsync(empty);

        Assert.Equal((0, 0, 0, 0), (counts.Dealerships, counts.Users, counts.Records, counts.Customers));
        Assert.Equal(3, counts.Roles);
        await using var db = empty.NewDbContext();
        var outcomes = await db.CallOutcomes.OrderBy(o => o.SortOrder).Select(o => o.Name).ToListAsync();
        Assert.Equal(DatabaseInitializer.DefaultOutcomes().Select(o => o.Name), outcomes);
        Assert.Contains("No answer", outcomes);
    }

    [Fact]
    public async Task InitializeAsync_NewDatabase_UsesWriteAheadLog()
    {
        await using var db = Db.NewDbContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
    }

    private sealed record Counts(int Dealerships, int Users, int Roles, int Outcomes, int Customers, int Phones, int Records, int History);

    private static async Task<Counts> CountEverythingAsync(CoreTestDatabase database)
    {
        await using var db = database.NewDbContext();
        return new Counts(
            await db.Dealerships.CountAsync(), await db.Users.CountAsync(), await db.Roles.CountAsync(),
            await db.CallOutcomes.CountAsync(), await db.Customers.CountAsync(), await db.CustomerPhones.CountAsync(),
            await db.SurveyRecords.CountAsync(), await db.SurveyStatusChanges.CountAsync());
    }
}
