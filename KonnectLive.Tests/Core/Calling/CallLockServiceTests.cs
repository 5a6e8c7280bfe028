using KonnectLive.Core.Data;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;

namespace KonnectLive.Tests.Core;

public class CallLockServiceTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="CallLockServiceTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private Dealership _south = null!;
    private UserScope _nadia = null!;
    private UserScope _noah = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _south = await _db.AddDealershipAsync("Southbank Cars");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
        _noah = CoreTestDatabase.Agent("Noah Northcote", _north.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private TimeSpan Lease => TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds);

    [Fact]
    public async Task AcquireAsync_FreeRecord_AcquiresAndPublishesLockTaken()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer", title: "Mrs");

        var result = await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);

        Assert.Equal(LockOutcome.Acquired, result.Outcome);
        Assert.True(result.Succeeded);
        Assert.Equal("Mrs Alice Archer", result.CustomerName);
        var stored = await _db.GetRecordAsync(record.Id);
        Assert.Equal(_nadia.UserId, stored.LockHolderId);
        Assert.Equal("Nadia North", stored.LockHolderName);
        Assert.Equal(_db.Now, stored.LockAcquiredAt);
        Assert.Equal(_db.Now + Lease, stored.LockExpiresAt);
        var taken = Assert.Single(_db.Events);
        Assert.Equal(LiveEventKind.LockTaken, taken.Kind);
        Assert.Equal(record.Id, taken.RecordId);
        Assert.Equal(_north.Id, taken.DealershipId);
        Assert.Equal(_nadia.UserId, taken.AgentId);
        Assert.Equal("Nadia North", taken.AgentName);
    }

    [Fact]
    public async Task AcquireAsync_HeldByAnotherAgent_ReturnsHeldByOtherNamingTheHolder()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer");
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);
        _db.ClearEvents();

        var result = await _db.Locks.AcquireAsync(_noah, record.Id, TestPage.Token);

        Assert.Equal(LockOutcome.HeldByOther, result.Outcome);
        Assert.Equal("Alice Archer is being called by Nadia North", result.Message);
        Assert.Equal("Nadia North", result.HolderName);
        Assert.Equal(_nadia.UserId, (await _db.GetRecordAsync(record.Id)).LockHolderId);
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task AcquireAsync_SameHolderAgain_IsIdempotent()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);
        var acquiredAt = _db.Now;
        _db.Time.Advance(TimeSpan.FromSeconds(20));

        var again = await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);

        Assert.Equal(LockOutcome.Acquired, again.Outcome);
        var stored = await _db.GetRecordAsync(record.Id);
        Assert.Equal(_nadia.UserId, stored.LockHolderId);
        Assert.Equal(acquiredAt, stored.LockAcquiredAt); // still the same call, not a new one
        Assert.Equal(_db.Now + Lease, stored.LockExpiresAt);
    }

    [Fact]
    public async Task RenewAsync_BeforeExpiry_KeepsLockPastOriginalLease()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);

        _db.Time.Advance(TimeSpan.FromSeconds(45));
        Assert.True(await _db.Locks.RenewAsync(_nadia, record.Id, TestPage.Token));
        _db.Time.Advance(TimeSpan.FromSeconds(45)); // 90 s after acquiring: past the original 60 s lease

        var other = await _db.Locks.AcquireAsync(_noah, record.Id, TestPage.Token);

        Assert.Equal(LockOutcome.HeldByOther, other.Outcome);
        Assert.Equal(0, await _db.Locks.SweepExpiredAsync());
        Assert.Equal(_nadia.UserId, (await _db.GetRecordAsync(record.Id)).LockHolderId);
    }

    [Fact]
    public async Task RenewAsync_ByNonHolder_ReturnsFalseAndLeavesLeaseAlone()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);
        var expires = (await _db.GetRecordAsync(record.Id)).LockExpiresAt;
        _db.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.False(await _db.Locks.RenewAsync(_noah, record.Id, TestPage.Token));

        Assert.Equal(expires, (await _db.GetRecordAsync(record.Id)).LockExpiresAt);
    }

    [Fact]
    public async Task AcquireAsync_LeaseExpiredWithoutRenewal_AnotherAgentTakesIt()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);

        _db.Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(LockOutcome.HeldByOther, (await _db.Locks.AcquireAsync(_noah, record.Id, TestPage.Token)).Outcome);

        _db.Time.Advance(TimeSpan.FromSeconds(1));
        var result = await _db.Locks.AcquireAsync(_noah, record.Id, TestPage.Token);

        Assert.Equal(LockOutcome.Acquired, result.Outcome);
        var stored = await _db.GetRecordAsync(record.Id);
        Assert.Equal(_noah.UserId, stored.LockHolderId);
        Assert.Equal("Noah Northcote", stored.LockHolderName);
        Assert.Equal(_db.Now, stored.LockAcquiredAt);
        Assert.False(await _db.Locks.RenewAsync(_nadia, record.Id, TestPage.Token)); // the old holder has lost it
    }

    [Fact]
    public async Task ReleaseAsync_ByHolder_FreesRecordAndPublishesLockReleased()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);
        _db.ClearEvents();

        Assert.True(await _db.Locks.ReleaseAsync(_nadia, record.Id, TestPage.Token));

        var stored = await _db.GetRecordAsync(record.Id);
        Assert.Null(stored.LockHolderId);
        Assert.Null(stored.LockHolderName);
        Assert.Null(stored.LockExpiresAt);
        var released = Assert.Single(_db.Events);
        Assert.Equal(LiveEventKind.LockReleased, released.Kind);
        Assert.Equal(record.Id, released.RecordId);
        Assert.Equal(_north.Id, released.DealershipId);
        Assert.Equal(_nadia.UserId, released.AgentId);
        Assert.Null(released.Reason);
        Assert.Equal(LockOutcome.Acquired, (await _db.Locks.AcquireAsync(_noah, record.Id, TestPage.Token)).Outcome);
    }

    [Fact]
    public async Task ReleaseAsync_ByNonHolder_DoesNothing()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);
        _db.ClearEvents();

        Assert.False(await _db.Locks.ReleaseAsync(_noah, record.Id, TestPage.Token));

        Assert.Equal(_nadia.UserId, (await _db.GetRecordAsync(record.Id)).LockHolderId);
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task ReleaseAsync_Twice_SecondReturnsFalseWithoutEvent()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);
        await _db.Locks.ReleaseAsync(_nadia, record.Id, TestPage.Token);
        _db.ClearEvents();

        Assert.False(await _db.Locks.ReleaseAsync(_nadia, record.Id, TestPage.Token));

        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task SweepExpiredAsync_MixedLeases_ReleasesOnlyExpiredAndAnnouncesThem()
    {
        var stale = await _db.AddAwaitingRecordAsync(_north.Id, "Stale", "Lease");
        var fresh = await _db.AddAwaitingRecordAsync(_north.Id, "Fresh", "Lease");
        var southStale = await _db.AddAwaitingRecordAsync(_south.Id, "South", "Stale");
        var sam = CoreTestDatabase.Agent("Sam Southall", _south.Id);
        await _db.Locks.AcquireAsync(_nadia, stale.Id, TestPage.Token);
        await _db.Locks.AcquireAsync(sam, southStale.Id, TestPage.Token);
        _db.Time.Advance(TimeSpan.FromSeconds(30));
        await _db.Locks.AcquireAsync(_noah, fresh.Id, TestPage.Token);
        _db.Time.Advance(TimeSpan.FromSeconds(30)); // first two exactly at expiry, the third half-way
        _db.ClearEvents();

        var released = await _db.Locks.SweepExpiredAsync();

        Assert.Equal(2, released);
        Assert.Null((await _db.GetRecordAsync(stale.Id)).LockHolderId);
        Assert.Null((await _db.GetRecordAsync(southStale.Id)).LockHolderId);
        Assert.Equal(_noah.UserId, (await _db.GetRecordAsync(fresh.Id)).LockHolderId);
        Assert.All(_db.Events, e =>
        {
            Assert.Equal(LiveEventKind.LockReleased, e.Kind);
            Assert.Equal("expired", e.Reason);
        });
        Assert.Equal(
            new[] { (stale.Id, _north.Id, _nadia.UserId, "Nadia North"), (southStale.Id, _south.Id, sam.UserId, "Sam Southall") }.OrderBy(x => x.Item1),
            _db.Events.Select(e => (e.RecordId, e.DealershipId, e.AgentId!, e.AgentName!)).OrderBy(x => x.Item1));
        Assert.Equal(0, await _db.Locks.SweepExpiredAsync()); // nothing left, nothing announced twice
        Assert.Equal(2, _db.Events.Count);
    }

    [Fact]
    public async Task AcquireAsync_AlreadyHoldingAnotherRecord_RefusesAndNamesTheOther()
    {
        var first = await _db.AddAwaitingRecordAsync(_north.Id, "First", "Customer");
        var second = await _db.AddAwaitingRecordAsync(_north.Id, "Second", "Customer");
        await _db.Locks.AcquireAsync(_nadia, first.Id, TestPage.Token);

        var result = await _db.Locks.AcquireAsync(_nadia, second.Id, TestPage.Token);

        Assert.Equal(LockOutcome.AlreadyHoldingAnother, result.Outcome);
        Assert.Equal(first.Id, result.OtherRecordId);
        Assert.Contains("First Customer", result.Message);
        Assert.Null((await _db.GetRecordAsync(second.Id)).LockHolderId);
        Assert.Equal(_nadia.UserId, (await _db.GetRecordAsync(first.Id)).LockHolderId);
    }

    [Fact]
    public async Task AcquireAsync_OwnOtherLeaseExpired_ReleasesItAndOpensTheNewRecord()
    {
        var first = await _db.AddAwaitingRecordAsync(_north.Id, "First", "Customer");
        var second = await _db.AddAwaitingRecordAsync(_north.Id, "Second", "Customer");
        await _db.Locks.AcquireAsync(_nadia, first.Id, TestPage.Token);
        _db.Time.Advance(Lease);
        _db.ClearEvents();

        var result = await _db.Locks.AcquireAsync(_nadia, second.Id, TestPage.Token);

        Assert.Equal(LockOutcome.Acquired, result.Outcome);
        Assert.Null((await _db.GetRecordAsync(first.Id)).LockHolderId);
        Assert.Equal(_nadia.UserId, (await _db.GetRecordAsync(second.Id)).LockHolderId);
        Assert.Collection(_db.Events,
            e => { Assert.Equal(LiveEventKind.LockReleased, e.Kind); Assert.Equal(first.Id, e.RecordId); Assert.Equal("expired", e.Reason); },
            e => { Assert.Equal(LiveEventKind.LockTaken, e.Kind); Assert.Equal(second.Id, e.RecordId); });
    }

    [Fact]
    public async Task AcquireAsync_UserWithoutCsiVoice_NotPermittedAndNoLock()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        var nell = CoreTestDatabase.Agent("Nell Novak", _north.Id, csiVoice: false);

        var result = await _db.Locks.AcquireAsync(nell, record.Id, TestPage.Token);

        Assert.Equal(LockOutcome.NotPermitted, result.Outcome);
        Assert.Null((await _db.GetRecordAsync(record.Id)).LockHolderId);
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task AcquireAsync_AgentOfAnotherDealership_NotAvailableAndNoLock()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer");
        var sam = CoreTestDatabase.Agent("Sam Southall", _south.Id);

        var result = await _db.Locks.AcquireAsync(sam, record.Id, TestPage.Token);

        Assert.Equal(LockOutcome.NotAvailable, result.Outcome);
        Assert.DoesNotContain("Archer", result.Message); // not even the name leaks to another dealership
        Assert.Null(result.CustomerName);
        Assert.Null((await _db.GetRecordAsync(record.Id)).LockHolderId);
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task AcquireAsync_UnknownRecord_NotAvailable()
    {
        var result = await _db.Locks.AcquireAsync(_nadia, 987_654, TestPage.Token);

        Assert.Equal(LockOutcome.NotAvailable, result.Outcome);
    }

    [Fact]
    public async Task AcquireAsync_HeadOfficeAgent_LocksAnyDealershipsRecord()
    {
        var northRecord = await _db.AddAwaitingRecordAsync(_north.Id);
        var southRecord = await _db.AddAwaitingRecordAsync(_south.Id);
        var harper = CoreTestDatabase.Agent("Harper Office", dealershipId: null);

        var south = await _db.Locks.AcquireAsync(harper, southRecord.Id, TestPage.Token);
        await _db.Locks.ReleaseAsync(harper, southRecord.Id, TestPage.Token);
        var north = await _db.Locks.AcquireAsync(harper, northRecord.Id, TestPage.Token);

        Assert.Equal(LockOutcome.Acquired, south.Outcome);
        Assert.Equal(LockOutcome.Acquired, north.Outcome);
        Assert.Equal(harper.UserId, (await _db.GetRecordAsync(northRecord.Id)).LockHolderId);
        Assert.Contains(_db.Events, e => e.Kind == LiveEventKind.LockTaken && e.DealershipId == _south.Id);
    }

    [Theory]
    [InlineData(SurveyStatus.Completed)]
    [InlineData(SurveyStatus.Expired)]
    [InlineData(SurveyStatus.Pending)]
    public async Task AcquireAsync_RecordNotAwaiting_NotAvailableAndNoLock(SurveyStatus status)
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer");
        await _db.ChangeStatusAsync(record.Id, status);

        var result = await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);

        Assert.Equal(LockOutcome.NotAvailable, result.Outcome);
        Assert.Contains(status.ToString(), result.Message);
        Assert.Null((await _db.GetRecordAsync(record.Id)).LockHolderId);
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task RenewAsync_RecordCompletedWhileHeld_ReturnsFalse()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);
        await _db.ChangeStatusAsync(record.Id, SurveyStatus.Completed);

        Assert.False(await _db.Locks.RenewAsync(_nadia, record.Id, TestPage.Token));
    }
}

public sealed class CallLockServiceTestsOnPostgreSql : CallLockServiceTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
