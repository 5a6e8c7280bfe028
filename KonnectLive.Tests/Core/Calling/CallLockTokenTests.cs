using KonnectLive.Core.Calling;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;

namespace KonnectLive.Tests.Core;

/// <summary>A lease belongs to one calling page: its token renews and releases it; another page of the same agent never ends it.</summary>
public sealed class CallLockTokenTests : IAsyncLifetime
{
    private const string FirstTab = "first-tab-token";
    private const string SecondTab = "second-tab-token";

    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private UserScope _nadia = null!;
    private UserScope _noah = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
        _noah = CoreTestDatabase.Agent("Noah Northcote", _north.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<SurveyRecord> HeldByNadiaAsync()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer", title: "Mrs");
        Assert.True((await _db.Locks.AcquireAsync(_nadia, record.Id, FirstTab)).Succeeded);
        _db.ClearEvents();
        return await _db.GetRecordAsync(record.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(SecondTab)]
    public async Task RenewAsync_MissingOrAnotherPagesToken_FalseAndTheLeaseUnchanged(string? token)
    {
        var before = await HeldByNadiaAsync();
        _db.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(await _db.Locks.RenewAsync(_nadia, before.Id, token));

        var after = await _db.GetRecordAsync(before.Id);
        Assert.Equal((before.LockHolderId, before.LockToken, before.LockExpiresAt), (after.LockHolderId, after.LockToken, after.LockExpiresAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(SecondTab)]
    public async Task ReleaseAsync_MissingOrAnotherPagesToken_FalseAndTheLockStays(string? token)
    {
        var before = await HeldByNadiaAsync();

        Assert.False(await _db.Locks.ReleaseAsync(_nadia, before.Id, token));

        var after = await _db.GetRecordAsync(before.Id);
        Assert.Equal((_nadia.UserId, FirstTab, before.LockExpiresAt), (after.LockHolderId, after.LockToken, after.LockExpiresAt));
        Assert.Empty(_db.Events);
        Assert.Equal(LockOutcome.HeldByOther, (await _db.Locks.AcquireAsync(_noah, before.Id, "noahs-tab")).Outcome);
    }

    [Fact]
    public async Task RenewAsync_TheHoldingPagesToken_ExtendsTheLease()
    {
        var record = await HeldByNadiaAsync();
        _db.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(await _db.Locks.RenewAsync(_nadia, record.Id, FirstTab));

        Assert.Equal(_db.Now.AddSeconds(CoreTestDatabase.LeaseSeconds), (await _db.GetRecordAsync(record.Id)).LockExpiresAt);
    }

    [Fact]
    public async Task AcquireAsync_SecondPageOfTheSameAgent_HeldByYouElsewhereAndNothingChanges()
    {
        var before = await HeldByNadiaAsync();

        var second = await _db.Locks.AcquireAsync(_nadia, before.Id, SecondTab);

        Assert.Equal(LockOutcome.HeldByYouElsewhere, second.Outcome);
        Assert.False(second.Succeeded);
        Assert.Equal("You have Mrs Alice Archer open in another tab.", second.Message);
        var after = await _db.GetRecordAsync(before.Id);
        Assert.Equal((FirstTab, before.LockExpiresAt), (after.LockToken, after.LockExpiresAt));
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task AcquireAsync_OwnLeaseOnAnotherPageLapsed_TheNewPageTakesIt()
    {
        var record = await HeldByNadiaAsync();
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds)); // the first tab's browser went away

        var result = await _db.Locks.AcquireAsync(_nadia, record.Id, SecondTab);

        Assert.Equal(LockOutcome.Acquired, result.Outcome);
        Assert.Equal(SecondTab, (await _db.GetRecordAsync(record.Id)).LockToken);
        Assert.False(await _db.Locks.RenewAsync(_nadia, record.Id, FirstTab));
    }

    [Fact]
    public async Task TakeOverAsync_LiveLeaseOfAnotherPage_MovesItAndTheOldTokenCanNoLongerRenewOrRelease()
    {
        var before = await HeldByNadiaAsync();
        _db.Time.Advance(TimeSpan.FromSeconds(5));

        var moved = await _db.Locks.TakeOverAsync(_nadia, before.Id, SecondTab);

        Assert.Equal(LockOutcome.Acquired, moved.Outcome);
        Assert.Equal("You are calling Mrs Alice Archer in this tab now.", moved.Message);
        var after = await _db.GetRecordAsync(before.Id);
        Assert.Equal((_nadia.UserId, SecondTab), (after.LockHolderId, after.LockToken));
        Assert.Equal(before.LockAcquiredAt, after.LockAcquiredAt); // the same call, moved
        Assert.Equal(_db.Now.AddSeconds(CoreTestDatabase.LeaseSeconds), after.LockExpiresAt);
        var e = Assert.Single(_db.Events);
        Assert.Equal((LiveEventKind.LockMoved, before.Id, _nadia.UserId), (e.Kind, e.RecordId, e.AgentId));
        Assert.DoesNotContain(FirstTab, e.ToString()); // a token is a capability: never in an event
        Assert.DoesNotContain(SecondTab, e.ToString());
        Assert.False(await _db.Locks.RenewAsync(_nadia, before.Id, FirstTab));
        Assert.False(await _db.Locks.ReleaseAsync(_nadia, before.Id, FirstTab));
        Assert.True(await _db.Locks.RenewAsync(_nadia, before.Id, SecondTab));
        Assert.Equal(LeaseHolder.YourOtherPage, (await _db.Locks.CheckAsync(_nadia, before.Id, FirstTab))!.Holder);
        Assert.Equal(LeaseHolder.ThisPage, (await _db.Locks.CheckAsync(_nadia, before.Id, SecondTab))!.Holder);
    }

    [Fact]
    public async Task TakeOverAsync_TheOtherTabAlreadyGaveItBack_TakesItAsAnOpen()
    {
        var record = await HeldByNadiaAsync();
        await _db.Locks.ReleaseAsync(_nadia, record.Id, FirstTab);
        _db.ClearEvents();

        var result = await _db.Locks.TakeOverAsync(_nadia, record.Id, SecondTab);

        Assert.Equal(LockOutcome.Acquired, result.Outcome);
        Assert.Equal(SecondTab, (await _db.GetRecordAsync(record.Id)).LockToken);
        Assert.Equal(LiveEventKind.LockTaken, Assert.Single(_db.Events).Kind);
    }

    [Fact]
    public async Task TakeOverAsync_AnotherAgentsLease_RefusedAndTheirLockStays()
    {
        var record = await HeldByNadiaAsync();

        var result = await _db.Locks.TakeOverAsync(_noah, record.Id, "noahs-tab");

        Assert.Equal(LockOutcome.HeldByOther, result.Outcome);
        var after = await _db.GetRecordAsync(record.Id);
        Assert.Equal((_nadia.UserId, FirstTab), (after.LockHolderId, after.LockToken));
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task SweepExpiredAsync_LapsedLeaseWithAToken_EndsItWithoutTheToken()
    {
        var record = await HeldByNadiaAsync();
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds));

        Assert.Equal(1, await _db.Locks.SweepExpiredAsync());

        var after = await _db.GetRecordAsync(record.Id);
        Assert.Null(after.LockHolderId);
        Assert.Null(after.LockToken);
        Assert.Equal("expired", Assert.Single(_db.Events).Reason);
        Assert.False(await _db.Locks.RenewAsync(_nadia, record.Id, FirstTab)); // the page hears it has lost the lease
    }

    [Fact]
    public async Task AcquireThenAdopt_OneOpen_PublishesExactlyOneLockTaken()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        var token = CallLockService.NewPageToken();

        // The chase list's Open takes the lease; the calling page adopts it (renewing to confirm) and may confirm it again.
        Assert.True((await _db.Locks.AcquireAsync(_nadia, record.Id, token)).Succeeded);
        Assert.True(await _db.Locks.RenewAsync(_nadia, record.Id, token));
        _db.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.True((await _db.Locks.AcquireAsync(_nadia, record.Id, token)).Succeeded);

        var taken = Assert.Single(_db.Events, e => e.Kind == LiveEventKind.LockTaken);
        Assert.Equal((record.Id, _nadia.UserId), (taken.RecordId, taken.AgentId));
        Assert.Single(_db.Events);
    }

    [Fact]
    public void NewPageToken_EachPage_ADifferentUnguessableToken()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => CallLockService.NewPageToken()).ToList();

        Assert.Equal(100, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.Equal(32, t.Length));
    }

    [Fact]
    public async Task CheckAsync_EachHolder_SaysWhoFromThisPagesPointOfView()
    {
        var record = await HeldByNadiaAsync();

        Assert.Equal(LeaseHolder.ThisPage, (await _db.Locks.CheckAsync(_nadia, record.Id, FirstTab))!.Holder);
        Assert.Equal(LeaseHolder.YourOtherPage, (await _db.Locks.CheckAsync(_nadia, record.Id, null))!.Holder);
        var noahsView = (await _db.Locks.CheckAsync(_noah, record.Id, "noahs-tab"))!;
        Assert.Equal((LeaseHolder.OtherAgent, "Nadia North", "Mrs Alice Archer"), (noahsView.Holder, noahsView.HolderName, noahsView.CustomerName));
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds));
        Assert.Equal(LeaseHolder.Nobody, (await _db.Locks.CheckAsync(_nadia, record.Id, FirstTab))!.Holder);
        Assert.Null(await _db.Locks.CheckAsync(CoreTestDatabase.Agent("Sam Southall", _north.Id + 1000), record.Id, null));
    }
}
