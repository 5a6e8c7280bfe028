using KonnectLive.Core.Calling;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Supervision;

public sealed class ForceReleaseServiceTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private Dealership _south = null!;
    private UserScope _nadia = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _south = await _db.AddDealershipAsync("Southbank Cars");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private ForceReleaseService Service => _db.Services.GetRequiredService<ForceReleaseService>();

    private static UserScope Supervisor(string name, int? dealershipId, string role = Roles.Supervisor) =>
        new($"user-{Guid.NewGuid():N}", name, dealershipId, false, [role]);

    private async Task<int> HeldRecordAsync(int dealershipId, UserScope holder)
    {
        var record = await _db.AddAwaitingRecordAsync(dealershipId, "Alice", "Archer", title: "Mrs");
        var taken = await _db.Locks.AcquireAsync(holder, record.Id, TestPage.Token);
        Assert.True(taken.Succeeded, taken.Message);
        _db.ClearEvents();
        return record.Id;
    }

    [Fact]
    public async Task ForceReleaseAsync_DealershipSupervisor_ClearsLockAuditsAndTellsTheHolder()
    {
        var recordId = await HeldRecordAsync(_north.Id, _nadia);
        var sasha = Supervisor("Sasha Supervisor", _north.Id);

        var result = await Service.ForceReleaseAsync(sasha, recordId, "  Agent went home  ");

        Assert.Equal(ForceReleaseOutcome.Released, result.Outcome);
        Assert.Equal("Nadia North", result.HolderName);
        var stored = await _db.GetRecordAsync(recordId);
        Assert.Null(stored.LockHolderId);
        Assert.Null(stored.LockHolderName);
        Assert.Null(stored.LockAcquiredAt);
        Assert.Null(stored.LockExpiresAt);

        await using (var db = _db.NewDbContext())
        {
            var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "lock.force-released");
            Assert.Equal(sasha.UserId, audit.UserId);
            Assert.Equal("Sasha Supervisor", audit.UserName);
            Assert.Equal(recordId.ToString(), audit.EntityId);
            Assert.Equal(stored.CustomerId, audit.CustomerId);
            Assert.Equal(_db.Now, audit.At);
            Assert.Contains("Nadia North", audit.Details);
            Assert.Contains(_nadia.UserId, audit.Details);
            Assert.Contains("Mrs Alice Archer", audit.Details);
            Assert.Contains("Agent went home", audit.Details);
        }

        var released = Assert.Single(_db.Events);
        Assert.Equal(LiveEventKind.LockReleased, released.Kind);
        Assert.Equal(recordId, released.RecordId);
        Assert.Equal(_north.Id, released.DealershipId);
        Assert.Equal(_nadia.UserId, released.AgentId); // the holder's id: their calling page acts on it
        Assert.Equal("Nadia North", released.AgentName);
        Assert.Equal("Mrs Alice Archer", released.CustomerName);
        Assert.Equal("released by supervisor Sasha Supervisor: Agent went home", released.Reason);
    }

    [Fact]
    public async Task ForceReleaseAsync_HeadOfficeAdmin_ReleasesAnyDealership()
    {
        var recordId = await HeldRecordAsync(_south.Id, CoreTestDatabase.Agent("Sam Southall", _south.Id));

        var result = await Service.ForceReleaseAsync(Supervisor("Ada Admin", null, Roles.Admin), recordId, "stuck");

        Assert.True(result.Succeeded, result.Message);
        Assert.Null((await _db.GetRecordAsync(recordId)).LockHolderId);
    }

    [Fact]
    public async Task ForceReleaseAsync_Agent_IsRefusedAndLockStays()
    {
        var recordId = await HeldRecordAsync(_north.Id, _nadia);
        var noah = CoreTestDatabase.Agent("Noah Northcote", _north.Id);

        var result = await Service.ForceReleaseAsync(noah, recordId, "I want this one");

        Assert.Equal(ForceReleaseOutcome.NotPermitted, result.Outcome);
        Assert.Equal("Only supervisors and admins can force-release a lock.", result.Message);
        await AssertStillHeldAsync(recordId);
    }

    [Fact]
    public async Task ForceReleaseAsync_OtherDealershipsSupervisor_IsRefusedAndLockStays()
    {
        var recordId = await HeldRecordAsync(_north.Id, _nadia);

        var result = await Service.ForceReleaseAsync(Supervisor("Sid South", _south.Id), recordId, "tidy up");

        Assert.Equal(ForceReleaseOutcome.OtherDealership, result.Outcome);
        Assert.Contains("another dealership", result.Message);
        await AssertStillHeldAsync(recordId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task ForceReleaseAsync_MissingReason_IsRefusedAndLockStays(string? reason)
    {
        var recordId = await HeldRecordAsync(_north.Id, _nadia);

        var result = await Service.ForceReleaseAsync(Supervisor("Sasha Supervisor", _north.Id), recordId, reason);

        Assert.Equal(ForceReleaseOutcome.ReasonInvalid, result.Outcome);
        await AssertStillHeldAsync(recordId);
    }

    [Fact]
    public async Task ForceReleaseAsync_ReasonOver500Characters_IsRefused()
    {
        var recordId = await HeldRecordAsync(_north.Id, _nadia);

        var result = await Service.ForceReleaseAsync(Supervisor("Sasha Supervisor", _north.Id), recordId, new string('x', 501));

        Assert.Equal(ForceReleaseOutcome.ReasonInvalid, result.Outcome);
        await AssertStillHeldAsync(recordId);
    }

    [Fact]
    public async Task ForceReleaseAsync_FreeRecord_SaysNotHeldAndAuditsNothing()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer");

        var result = await Service.ForceReleaseAsync(Supervisor("Sasha Supervisor", _north.Id), record.Id, "tidy up");

        Assert.Equal(ForceReleaseOutcome.NotHeld, result.Outcome);
        Assert.Equal("Nobody is calling Alice Archer now.", result.Message);
        await using var db = _db.NewDbContext();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "lock.force-released"));
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task ForceReleaseAsync_ExpiredLease_SaysNotHeld()
    {
        var recordId = await HeldRecordAsync(_north.Id, _nadia);
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds + 1));

        var result = await Service.ForceReleaseAsync(Supervisor("Sasha Supervisor", _north.Id), recordId, "tidy up");

        Assert.Equal(ForceReleaseOutcome.NotHeld, result.Outcome);
    }

    private async Task AssertStillHeldAsync(int recordId)
    {
        Assert.Equal(_nadia.UserId, (await _db.GetRecordAsync(recordId)).LockHolderId);
        Assert.Empty(_db.Events);
        await using var db = _db.NewDbContext();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "lock.force-released"));
    }
}
