using KonnectLive.Core.Data;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core;

/// <summary>
/// First / Previous / Next in Core, on a real SQLite file and a FakeTimeProvider. The records are never-called customers,
/// so the chase list runs in the order they were added. A lost race is staged by another agent locking the neighbour the
/// moment the navigator gives the current customer back (the release's live event comes between the search and the lock).
/// </summary>
public class ChaseNavigatorTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="ChaseNavigatorTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private const string Page = "nadias-page";

    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private UserScope _nadia = null!;
    private UserScope _noah = null!;
    private UserScope _nell = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
        _noah = CoreTestDatabase.Agent("Noah Northcote", _north.Id);
        _nell = CoreTestDatabase.Agent("Nell Newby", _north.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private ChaseNavigator Navigator => _db.Services.GetRequiredService<ChaseNavigator>();

    private async Task<int> AddAsync(string lastName) => (await _db.AddAwaitingRecordAsync(_north.Id, "Test", lastName)).Id;

    private async Task HoldAsync(int recordId)
    {
        Assert.True((await _db.Locks.AcquireAsync(_nadia, recordId, Page)).Succeeded);
        _db.ClearEvents();
    }

    private async Task<string?> HolderAsync(int recordId) => (await _db.GetRecordAsync(recordId)).LockHolderId;

    /// <summary>Runs <paramref name="takeIt"/> once, when Nadia's release of <paramref name="recordId"/> is announced.</summary>
    private IDisposable OnRelease(int recordId, Func<Task> takeIt)
    {
        var done = 0;
        _db.OnPublish = async e =>
        {
            if (e.Kind == LiveEventKind.LockReleased && e.RecordId == recordId && e.AgentId == _nadia.UserId && Interlocked.Exchange(ref done, 1) == 0)
                await takeIt();
        };
        return new Unhook(_db);
    }

    [Fact]
    public async Task MoveAsync_Next_ReleasesThisCustomerAndOpensTheNextWithTheSamePageToken()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        await HoldAsync(a);

        var move = await Navigator.MoveAsync(_nadia, a, Page, ChaseDirection.Next);

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Opened, b), move);
        Assert.Null(await HolderAsync(a));
        var opened = await _db.GetRecordAsync(b);
        Assert.Equal((_nadia.UserId, Page), (opened.LockHolderId, opened.LockToken));
        // One release and one take: the page adopts the new lease without taking it again.
        Assert.Equal([LiveEventKind.LockReleased, LiveEventKind.LockTaken], _db.Events.Select(e => e.Kind));
        Assert.True(await _db.Locks.RenewAsync(_nadia, b, Page));
    }

    [Fact]
    public async Task MoveAsync_Previous_OpensTheFreeCustomerBeforeSkippingOneBeingCalled()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        var c = await AddAsync("Cole");
        await _db.Locks.AcquireAsync(_noah, b, "noahs-page");
        await HoldAsync(c);

        var move = await Navigator.MoveAsync(_nadia, c, Page, ChaseDirection.Previous);

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Opened, a), move);
        Assert.Equal(_noah.UserId, await HolderAsync(b));
        Assert.Null(await HolderAsync(c));
    }

    [Fact]
    public async Task MoveAsync_First_OpensTheTopFreeCustomer()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        var c = await AddAsync("Cole");
        await _db.Locks.AcquireAsync(_noah, a, "noahs-page");
        await HoldAsync(c);

        var move = await Navigator.MoveAsync(_nadia, c, Page, ChaseDirection.First);

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Opened, b), move);
    }

    [Fact]
    public async Task MoveAsync_FirstWhenAlreadyTheFirstFree_StaysAndSaysSoWithoutReleasing()
    {
        var a = await AddAsync("Ayres");
        await AddAsync("Bell");
        await HoldAsync(a);

        var move = await Navigator.MoveAsync(_nadia, a, Page, ChaseDirection.First);

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Stayed, a, "Test Ayres is already the first free customer on the chase list."), move);
        Assert.Empty(_db.Events);
        Assert.True(await _db.Locks.RenewAsync(_nadia, a, Page));
    }

    [Theory]
    [InlineData(ChaseDirection.Next, "No more free customers after this one.")]
    [InlineData(ChaseDirection.Previous, "No free customers before this one.")]
    public async Task MoveAsync_NobodyThatWay_StaysWithTheCustomerAndSaysSo(ChaseDirection direction, string says)
    {
        var only = await AddAsync("Only");
        await HoldAsync(only);

        var move = await Navigator.MoveAsync(_nadia, only, Page, direction);

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Stayed, only, says), move);
        Assert.Empty(_db.Events);
        Assert.Equal(Page, (await _db.GetRecordAsync(only)).LockToken);
    }

    [Fact]
    public async Task MoveAsync_NextTakenByAnotherAgentMeanwhile_OpensTheOneBeyond()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        var c = await AddAsync("Cole");
        await HoldAsync(a);
        using var race = OnRelease(a, () => _db.Locks.AcquireAsync(_noah, b, "noahs-page"));

        var move = await Navigator.MoveAsync(_nadia, a, Page, ChaseDirection.Next);

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Opened, c), move);
        Assert.Equal(_noah.UserId, await HolderAsync(b));
        Assert.Equal(_nadia.UserId, await HolderAsync(c));
    }

    [Fact]
    public async Task MoveAsync_OnlyNeighbourTakenMeanwhile_TakesTheCustomerBack()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        await HoldAsync(a);
        using var race = OnRelease(a, () => _db.Locks.AcquireAsync(_noah, b, "noahs-page"));

        var move = await Navigator.MoveAsync(_nadia, a, Page, ChaseDirection.Next);

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Stayed, a, "No more free customers after this one."), move);
        var back = await _db.GetRecordAsync(a);
        Assert.Equal((_nadia.UserId, Page), (back.LockHolderId, back.LockToken));
    }

    [Fact]
    public async Task MoveAsync_NeighbourAndThisCustomerBothTakenMeanwhile_LeavesForTheChaseListAndSaysWhy()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        await HoldAsync(a);
        using var race = OnRelease(a, async () =>
        {
            await _db.Locks.AcquireAsync(_noah, b, "noahs-page");
            await _db.Locks.AcquireAsync(_nell, a, "nells-page");
        });

        var move = await Navigator.MoveAsync(_nadia, a, Page, ChaseDirection.Next);

        Assert.Equal(ChaseMoveOutcome.Left, move.Outcome);
        Assert.Equal("No more free customers after this one. Test Ayres could not be kept open, so you are back on the chase list.", move.Message);
        Assert.Equal(_nell.UserId, await HolderAsync(a));
        Assert.Equal(_noah.UserId, await HolderAsync(b));
    }

    private sealed class Unhook(CoreTestDatabase db) : IDisposable
    {
        public void Dispose() => db.OnPublish = null;
    }
}

public sealed class ChaseNavigatorTestsOnPostgreSql : ChaseNavigatorTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
