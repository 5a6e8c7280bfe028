using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Dealerships;

public class DealershipServiceTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="DealershipServiceTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private CoreTestDatabase _db = null!;
    private UserScope _admin = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        _admin = await _db.CreateUserAsync("ada", Roles.Admin);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private DealershipService Service => _db.Services.GetRequiredService<DealershipService>();

    private static DealershipInput Input(string code = "WSM", string timeZone = "Europe/London", int fromHour = 9, int untilHour = 20) => new()
    {
        Code = code, Name = "Westside Motors", TimeZone = timeZone, SendFrom = new(fromHour, 0), SendUntil = new(untilHour, 0),
    };

    private async Task<int> CountAsync()
    {
        await using var db = _db.NewDbContext();
        return await db.Dealerships.CountAsync();
    }

    [Fact]
    public async Task CreateAsync_Valid_SavesAndAudits()
    {
        var result = await Service.CreateAsync(Input(timeZone: "America/New_York", fromHour: 8, untilHour: 18), _admin);

        Assert.Equal(DealershipSaveOutcome.Saved, result.Outcome);
        var row = Assert.Single(await Service.ListAsync());
        Assert.Equal(("WSM", "Westside Motors", "America/New_York", new TimeOnly(8, 0), new TimeOnly(18, 0)),
            (row.Code, row.Name, row.TimeZone, row.SendFrom, row.SendUntil));
        var audit = Assert.Single(await _db.AuditAsync("dealership.created"));
        Assert.Equal(_admin.UserId, audit.UserId);
        Assert.Contains("America/New_York", audit.Details);
        Assert.Contains("08:00–18:00", audit.Details);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("GMT Standard Time")] // a Windows id: resolvable on Linux, but not the IANA id the dispatcher stores
    [InlineData("")]
    public async Task CreateAsync_BadTimeZone_IsInvalid(string timeZone)
    {
        var result = await Service.CreateAsync(Input(timeZone: timeZone), _admin);

        Assert.Equal(DealershipSaveOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Property == nameof(DealershipInput.TimeZone));
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task CreateAsync_DuplicateCode_IsInvalidAndNotAudited()
    {
        Assert.Equal(DealershipSaveOutcome.Saved, (await Service.CreateAsync(Input(), _admin)).Outcome);

        var result = await Service.CreateAsync(Input(), _admin);

        Assert.Equal(DealershipSaveOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Property == nameof(DealershipInput.Code) && e.Error.Contains("already used"));
        Assert.Equal(1, await CountAsync());
        Assert.Single(await _db.AuditAsync("dealership.created"));
    }

    [Theory]
    [InlineData("wsm")]
    [InlineData("W SM")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456")] // 33 characters
    public async Task CreateAsync_CodeNotUpperCaseOrTooLong_IsInvalid(string code)
    {
        var result = await Service.CreateAsync(Input(code: code), _admin);

        Assert.Equal(DealershipSaveOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Property == nameof(DealershipInput.Code));
    }

    [Fact]
    public async Task CreateAsync_HoursWithSeconds_IsInvalid()
    {
        var input = Input();
        input.SendUntil = new TimeOnly(20, 0, 30);

        var result = await Service.CreateAsync(input, _admin);

        Assert.Equal(DealershipSaveOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Property == nameof(DealershipInput.SendUntil));
    }

    [Theory]
    [InlineData(9, 9, "Any time (no restriction)")]
    [InlineData(20, 2, "20:00–02:00 (across midnight)")]
    [InlineData(9, 20, "09:00–20:00")]
    public async Task CreateAsync_HoursTheDispatcherUnderstands_AreSavedAndDescribedByItsRule(int from, int until, string expected)
    {
        var result = await Service.CreateAsync(Input(fromHour: from, untilHour: until), _admin);

        Assert.Equal(DealershipSaveOutcome.Saved, result.Outcome);
        Assert.Equal(expected, Assert.Single(await Service.ListAsync()).SendingHours);
        // The same rule as SendingWindow: equal means no restriction at all.
        var zone = KonnectLive.Core.Messaging.SendingWindow.Zone("Europe/London");
        var at3am = new DateTime(2026, 1, 5, 3, 0, 0, DateTimeKind.Utc);
        Assert.Equal(from == until, KonnectLive.Core.Messaging.SendingWindow.NextOpening(at3am, zone, new(from, 0), new(until, 0)) is null);
    }

    [Fact]
    public async Task CreateAsync_ByNonAdmin_IsForbidden()
    {
        var supervisor = await _db.CreateUserAsync("sasha", Roles.Supervisor);

        var result = await Service.CreateAsync(Input(), supervisor);

        Assert.Equal(DealershipSaveOutcome.Forbidden, result.Outcome);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task UpdateAsync_Changes_SavesAndAuditsEachChange()
    {
        var id = (await Service.CreateAsync(Input(), _admin)).Id!.Value;
        var input = Input(code: "WSM2", timeZone: "Europe/Dublin", fromHour: 10, untilHour: 19);
        input.Name = "Westside Motors Dublin";

        var result = await Service.UpdateAsync(id, input, _admin);

        Assert.Equal(DealershipSaveOutcome.Saved, result.Outcome);
        var row = Assert.Single(await Service.ListAsync());
        Assert.Equal(("WSM2", "Westside Motors Dublin", "Europe/Dublin"), (row.Code, row.Name, row.TimeZone));
        var details = Assert.Single(await _db.AuditAsync("dealership.updated")).Details!;
        Assert.Contains("code WSM → WSM2", details);
        Assert.Contains("time zone Europe/London → Europe/Dublin", details);
        Assert.Contains("sending hours 09:00–20:00 → 10:00–19:00", details);
        Assert.Equal(DealershipSaveOutcome.Unchanged, (await Service.UpdateAsync(id, input, _admin)).Outcome);
    }

    [Fact]
    public async Task UpdateAsync_CodeOfAnotherDealership_IsInvalid()
    {
        await Service.CreateAsync(Input(code: "AAA"), _admin);
        var id = (await Service.CreateAsync(Input(code: "BBB"), _admin)).Id!.Value;

        var result = await Service.UpdateAsync(id, Input(code: "AAA"), _admin);

        Assert.Equal(DealershipSaveOutcome.Invalid, result.Outcome);
        Assert.Equal(["AAA", "BBB"], (await Service.ListAsync()).Select(d => d.Code).Order());
    }

    [Fact]
    public async Task UpdateAsync_ByNonAdmin_IsForbidden()
    {
        var id = (await Service.CreateAsync(Input(), _admin)).Id!.Value;
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);

        var result = await Service.UpdateAsync(id, Input(code: "HACK"), agent);

        Assert.Equal(DealershipSaveOutcome.Forbidden, result.Outcome);
        Assert.Equal("WSM", Assert.Single(await Service.ListAsync()).Code);
    }
}

public sealed class DealershipServiceTestsOnPostgreSql : DealershipServiceTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
