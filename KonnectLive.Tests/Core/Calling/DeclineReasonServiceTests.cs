using KonnectLive.Core.Common;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Calling;

public class DeclineReasonServiceTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="DeclineReasonServiceTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private static readonly IReadOnlyList<string> Seeded = DatabaseInitializer.DefaultDeclineReasons;
    private CoreTestDatabase _db = null!;
    private UserScope _admin = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        _admin = await _db.CreateUserAsync("ada", Roles.Admin);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private DeclineReasonService Service => _db.Services.GetRequiredService<DeclineReasonService>();

    private async Task<int> IdOfAsync(string name) => (await Service.ListAllAsync(_admin)).Single(r => r.Name == name).Id;

    [Fact]
    public async Task ListAllAsync_Seeded_ListsEveryReasonInOrderWithUses()
    {
        var noTime = await IdOfAsync("No time");
        await Service.SetActiveAsync(_admin, await IdOfAsync("Unhappy with the vehicle"), false);
        var dealership = await _db.AddDealershipAsync();
        var record = await _db.AddAwaitingRecordAsync(dealership.Id, phones: "+447700900123");
        var declined = await _db.OutcomeIdAsync(DatabaseInitializer.DeclinedOutcome);
        await using (var db = _db.NewDbContext())
        {
            for (var i = 0; i < 3; i++)
                db.CallAttempts.Add(new CallAttempt
                {
                    SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = dealership.Id, AgentId = "a", AgentName = "Agent",
                    OutcomeId = declined, Behaviour = OutcomeBehaviour.CustomerDeclined, DeclineReasonId = noTime, StartedAt = _db.Now, RecordedAt = _db.Now,
                });
            await db.SaveChangesAsync();
        }

        var rows = await Service.ListAllAsync(_admin);

        Assert.Equal(Seeded, rows.Select(r => r.Name));
        Assert.Equal(3, rows.Single(r => r.Name == "No time").Uses);
        Assert.Equal(0, rows.Single(r => r.Name == "No longer owns the vehicle").Uses);
        Assert.False(rows.Single(r => r.Name == "Unhappy with the vehicle").IsActive);
        Assert.DoesNotContain("Unhappy with the vehicle", (await Service.ListActiveAsync(_admin)).Select(r => r.Name));
    }

    [Fact]
    public async Task CreateAsync_NewName_AddsItLastAndAudits()
    {
        var result = await Service.CreateAsync(_admin, "  Moved abroad ");

        Assert.Equal(CallingAdminOutcome.Done, result.Outcome);
        var last = (await Service.ListAllAsync(_admin))[^1];
        Assert.Equal(("Moved abroad", true, "ada (display)"), (last.Name, last.IsActive, last.CreatedBy));
        var audit = Assert.Single(await _db.AuditAsync("declinereason.created"));
        Assert.Equal(("Created decline reason 'Moved abroad'.", _admin.UserId), (audit.Details, audit.UserId));
    }

    [Theory]
    [InlineData("", "Enter the reason's name.")]
    [InlineData("NO TIME", "A decline reason called 'No time' already exists.")]
    public async Task CreateAsync_BlankOrTakenName_IsInvalid(string name, string message)
    {
        var result = await Service.CreateAsync(_admin, name);

        Assert.Equal(CallingAdminOutcome.Invalid, result.Outcome);
        Assert.Contains(("Name", message), result.Errors);
        Assert.Equal(Seeded.Count, (await Service.ListAllAsync(_admin)).Count);
    }

    [Fact]
    public async Task CreateAsync_NameOfAnInactiveReason_SaysToActivateIt()
    {
        await Service.SetActiveAsync(_admin, await IdOfAsync("No time"), false);

        var result = await Service.CreateAsync(_admin, "no time");

        Assert.Contains(("Name", "A decline reason called 'No time' already exists (inactive: activate it instead)."), result.Errors);
    }

    [Fact]
    public async Task RenameAsync_NewName_RenamesAndAuditsOldAndNew()
    {
        var id = await IdOfAsync("No time");

        var result = await Service.RenameAsync(_admin, id, "Too busy right now");

        Assert.Equal(CallingAdminOutcome.Done, result.Outcome);
        Assert.Contains("Too busy right now", (await Service.ListAllAsync(_admin)).Select(r => r.Name));
        Assert.Equal("Renamed decline reason 'No time' → 'Too busy right now'.", Assert.Single(await _db.AuditAsync("declinereason.renamed")).Details);
    }

    [Fact]
    public async Task RenameAsync_AnotherReasonsNameInAnyCase_IsInvalid_ItsOwnInAnotherCaseIsFine()
    {
        var id = await IdOfAsync("No time");

        var taken = await Service.RenameAsync(_admin, id, "unhappy WITH the dealership");
        var recased = await Service.RenameAsync(_admin, id, "No Time");
        var same = await Service.RenameAsync(_admin, id, "No Time");
        var tooLong = await Service.RenameAsync(_admin, id, new string('r', 81));

        Assert.Contains(("Name", "A decline reason called 'Unhappy with the dealership' already exists."), taken.Errors);
        Assert.Equal(CallingAdminOutcome.Done, recased.Outcome);
        Assert.Equal(CallingAdminOutcome.Unchanged, same.Outcome);
        Assert.Contains(("Name", "A decline reason can be at most 80 characters."), tooLong.Errors);
        Assert.Single(await _db.AuditAsync("declinereason.renamed"));
    }

    [Fact]
    public async Task SetActiveAsync_DeactivateThenActivate_ChangesTheCallingPagesListAndAudits()
    {
        var id = await IdOfAsync("No time");

        await Service.SetActiveAsync(_admin, id, false);
        Assert.DoesNotContain("No time", (await Service.ListActiveAsync(_admin)).Select(r => r.Name));
        await Service.SetActiveAsync(_admin, id, true);

        Assert.Contains("No time", (await Service.ListActiveAsync(_admin)).Select(r => r.Name));
        Assert.Equal("Deactivated decline reason 'No time'.", Assert.Single(await _db.AuditAsync("declinereason.deactivated")).Details);
        Assert.Equal("Activated decline reason 'No time'.", Assert.Single(await _db.AuditAsync("declinereason.activated")).Details);
    }

    [Fact]
    public async Task MoveAsync_Down_SwapsWithTheOneBelowAndAudits_LastCannotGoLower()
    {
        var moved = await Service.MoveAsync(_admin, await IdOfAsync(Seeded[0]), +1);
        var last = await Service.MoveAsync(_admin, await IdOfAsync(Seeded[^1]), +1);

        Assert.Equal((CallingAdminOutcome.Done, CallingAdminOutcome.Unchanged), (moved.Outcome, last.Outcome));
        Assert.Equal([Seeded[1], Seeded[0], .. Seeded.Skip(2)], (await Service.ListActiveAsync(_admin)).Select(r => r.Name));
        Assert.Equal($"Moved decline reason '{Seeded[0]}' down to position 2, below '{Seeded[1]}'.",
            Assert.Single(await _db.AuditAsync("declinereason.reordered")).Details);
    }

    [Fact]
    public async Task AddAsync_AgentTypesANameAnAdminRetired_RefusedAndItStaysRetired()
    {
        var agent = await _db.CreateUserAsync("agent.one", Roles.Agent, csiVoice: true);
        await Service.SetActiveAsync(_admin, await IdOfAsync("No time"), false);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Service.AddAsync(agent, "NO TIME"));

        Assert.Contains("retired by an admin", ex.Message);
        Assert.DoesNotContain("No time", (await Service.ListActiveAsync(_admin)).Select(r => r.Name));
    }

    [Fact]
    public async Task AddAsync_AdminTypesANameTheyRetired_BringsItBack()
    {
        await Service.SetActiveAsync(_admin, await IdOfAsync("No time"), false);

        var view = await Service.AddAsync(_admin, "no time");

        Assert.Equal("No time", view.Name);
        Assert.Contains("No time", (await Service.ListActiveAsync(_admin)).Select(r => r.Name));
    }

    [Theory]
    [MemberData(nameof(OutcomeAdminServiceTests.NotAdmins), MemberType = typeof(OutcomeAdminServiceTests))]
    public async Task AdminMethods_NotAnEnabledAdmin_AreRefusedAndChangeNothing(string who)
    {
        var user = await OutcomeAdminServiceTests.NotAdminAsync(_db, who);
        var id = await IdOfAsync("No time");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.ListAllAsync(user));
        var results = new[]
        {
            await Service.CreateAsync(user, "Moved abroad"),
            await Service.RenameAsync(user, id, "Renamed"),
            await Service.SetActiveAsync(user, id, false),
            await Service.MoveAsync(user, id, -1),
        };

        Assert.All(results, r => Assert.Equal((CallingAdminOutcome.Forbidden, DeclineReasonService.AdminOnly), (r.Outcome, r.Message)));
        Assert.Equal(Seeded, (await Service.ListActiveAsync(_admin)).Select(r => r.Name));
        await using var db = _db.NewDbContext();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action.StartsWith("declinereason.")));
    }
}

public sealed class DeclineReasonServiceTestsOnPostgreSql : DeclineReasonServiceTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
