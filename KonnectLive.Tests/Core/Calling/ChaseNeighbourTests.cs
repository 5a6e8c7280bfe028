using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;

namespace KonnectLive.Tests.Core;

/// <summary>Previous / Next on the calling page: the nearest customer the agent could open, in chase-list order.</summary>
public sealed class ChaseNeighbourTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private Dealership _south = null!;
    private UserScope _nadia = null!;
    private UserScope _noah = null!;
    private UserScope _harper = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _south = await _db.AddDealershipAsync("Southbank Cars");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
        _noah = CoreTestDatabase.Agent("Noah Northcote", _north.Id);
        _harper = CoreTestDatabase.Agent("Harper Office", dealershipId: null);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<int> AddAsync(string lastName, Dealership? dealership = null) =>
        (await _db.AddAwaitingRecordAsync((dealership ?? _north).Id, "Test", lastName, phones: ["+447700900123"])).Id;

    private async Task RecordAsync(UserScope agent, int recordId, string outcome, DateTime? callbackAt = null) =>
        await _db.Calling.RecordAttemptAsync(agent, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(outcome), null, _db.Now, null, callbackAt));

    private Task<int?> NextAsync(UserScope user, int from, int? dealershipId = null) =>
        _db.ChaseList.FindNeighbourAsync(user, from, ChaseDirection.Next, dealershipId);

    private Task<int?> PreviousAsync(UserScope user, int from, int? dealershipId = null) =>
        _db.ChaseList.FindNeighbourAsync(user, from, ChaseDirection.Previous, dealershipId);

    [Fact]
    public async Task FindNeighbourAsync_PlainList_NextAndPreviousInListOrderNullAtTheEnds()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        var c = await AddAsync("Cole");

        Assert.Equal(b, await NextAsync(_nadia, a));
        Assert.Equal(c, await NextAsync(_nadia, b));
        Assert.Null(await NextAsync(_nadia, c));
        Assert.Equal(b, await PreviousAsync(_nadia, c));
        Assert.Equal(a, await PreviousAsync(_nadia, b));
        Assert.Null(await PreviousAsync(_nadia, a));
    }

    [Fact]
    public async Task FindNeighbourAsync_SkipsLockedReservedOffListAndOtherDealershipRecords()
    {
        var first = await AddAsync("First");
        var lockedByNoah = await AddAsync("Locked");
        var southern = await AddAsync("Southern", _south);
        var ended = await AddAsync("Ended");
        var pending = await AddAsync("Pending");
        var reserved = await AddAsync("Reserved");
        var free = await AddAsync("Free");
        var last = await AddAsync("Last");
        // Reserved: a call-back Noah booked that is due now, so it is back on the list but only Noah may take it.
        await RecordAsync(_noah, reserved, DatabaseInitializer.CallBackLaterOutcome, _db.Now.AddMinutes(5));
        await RecordAsync(_nadia, pending, DatabaseInitializer.CallBackLaterOutcome, _db.Now.AddDays(1));
        await RecordAsync(_nadia, ended, DatabaseInitializer.WillCompleteOutcome);
        _db.Time.Advance(TimeSpan.FromMinutes(5));
        await _db.Locks.AcquireAsync(_noah, lockedByNoah, TestPage.Token);
        // The list, top down: reserved (due call-back), first, locked, free, last; ended and pending are off it.
        Assert.Equal([reserved, first, lockedByNoah, free, last],
            (await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 50))).Rows.Select(r => r.RecordId));

        Assert.Equal(free, await NextAsync(_nadia, first));
        Assert.Equal(first, await PreviousAsync(_nadia, free));
        Assert.Null(await PreviousAsync(_nadia, first)); // the reserved call-back above it is Noah's
        Assert.Equal(reserved, await PreviousAsync(_noah, first)); // ...and Noah gets it
        Assert.Equal(lockedByNoah, await NextAsync(_noah, first)); // his own lock is not someone else's
        Assert.Equal(southern, await NextAsync(_harper, first)); // head office sees Southbank; Nadia skipped it
    }

    [Fact]
    public async Task FindNeighbourAsync_HeadOffice_AllDealershipsOrTheOneChosen()
    {
        var north1 = await AddAsync("North1");
        var south1 = await AddAsync("South1", _south);
        var north2 = await AddAsync("North2");

        Assert.Equal(south1, await NextAsync(_harper, north1));
        Assert.Equal(north2, await NextAsync(_harper, north1, _north.Id));
        Assert.Null(await NextAsync(_harper, south1, _south.Id));
        Assert.Equal(north2, await NextAsync(_nadia, north1)); // a dealership agent never sees the other's
    }

    [Fact]
    public async Task FindNeighbourAsync_FromARecordThatJustLeftTheList_UsesItsStoredPlace()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        var c = await AddAsync("Cole");
        await RecordAsync(_nadia, a, DatabaseInitializer.CallBackLaterOutcome, _db.Now.AddHours(1)); // off the list, keyed before the rest

        Assert.Equal(b, await NextAsync(_nadia, a));
        Assert.Null(await PreviousAsync(_nadia, a));
        Assert.Equal(b, await PreviousAsync(_nadia, c));
    }

    [Fact]
    public async Task FindNeighbourAsync_RecordOfAnotherDealershipOrUnknown_Null()
    {
        var south = await AddAsync("South", _south);
        await AddAsync("North");

        Assert.Null(await NextAsync(_nadia, south));
        Assert.Null(await NextAsync(_nadia, 999_999));
    }

    [Fact]
    public async Task FindNeighbourAsync_NotEnabledForCsiVoice_Null()
    {
        var a = await AddAsync("Ayres");
        await AddAsync("Bell");

        Assert.Null(await NextAsync(CoreTestDatabase.Agent("Nigel NoVoice", _north.Id, csiVoice: false), a));
    }

    [Fact]
    public async Task FindNeighbourAsync_RecordsNoLongerAwaiting_Skipped()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        var c = await AddAsync("Cole");
        await _db.ChangeStatusAsync(b, SurveyStatus.Completed);

        Assert.Equal(c, await NextAsync(_nadia, a));
    }
}
