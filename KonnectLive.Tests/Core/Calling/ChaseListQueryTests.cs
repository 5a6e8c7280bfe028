using Microsoft.Extensions.DependencyInjection;
using KonnectLive.Core.Live;
using KonnectLive.Core.Data;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;

namespace KonnectLive.Tests.Core;

public class ChaseListQueryTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="ChaseListQueryTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private Dealership _south = null!;
    private UserScope _nadia = null!;
    private UserScope _sam = null!;
    private UserScope _harper = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _south = await _db.AddDealershipAsync("Southbank Cars");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
        _sam = CoreTestDatabase.Agent("Sam Southall", _south.Id);
        _harper = CoreTestDatabase.Agent("Harper Office", dealershipId: null);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<ChaseListPage> PageAsync(UserScope user, string? search = null, int? dealershipId = null, int skip = 0, int take = 50) =>
        _db.ChaseList.GetPageAsync(user, new ChaseListRequest(skip, take, search, dealershipId));

    private async Task RecordAttemptAsync(UserScope agent, int recordId) =>
        await _db.Calling.RecordAttemptAsync(agent, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(), null, _db.Now, null));

    [Fact]
    public async Task GetPageAsync_MixedStatuses_ListsOnlyAwaiting()
    {
        var awaiting = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Waiting");
        foreach (var status in new[] { SurveyStatus.Completed, SurveyStatus.Pending, SurveyStatus.Expired, SurveyStatus.Rejected })
        {
            var r = await _db.AddAwaitingRecordAsync(_north.Id, lastName: status.ToString());
            await _db.ChangeStatusAsync(r.Id, status);
        }

        var page = await PageAsync(_nadia);

        var row = Assert.Single(page.Rows);
        Assert.Equal(awaiting.Id, row.RecordId);
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task GetPageAsync_EveryNumberUnsubscribedOrWrong_RowSaysThereIsNothingToCall()
    {
        var callable = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Callable", phones: ["+447700900111", "+441134960111"]);
        var none = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Unreachable", phones: ["+447700900222", "+441134960222"]);
        var noPhones = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Nophone");
        await using (var db = _db.NewDbContext())
        {
            var phones = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                db.CustomerPhones.Where(p => p.CustomerId == none.CustomerId || p.CustomerId == callable.CustomerId));
            phones.Single(p => p.Number == "+447700900222").Unsubscribe(KonnectLive.Core.Customers.ContactChannel.Call, "test", _db.Now);
            phones.Single(p => p.Number == "+441134960222").MarkWrongNumber("test", _db.Now);
            phones.Single(p => p.Number == "+447700900111").MarkWrongNumber("test", _db.Now); // one of two: still callable
            await db.SaveChangesAsync();
        }

        var rows = (await PageAsync(_nadia)).Rows.ToDictionary(r => r.RecordId);

        Assert.True(rows[callable.Id].HasCallableNumber);
        Assert.False(rows[none.Id].HasCallableNumber);
        Assert.False(rows[noPhones.Id].HasCallableNumber);
    }

    [Fact]
    public async Task GetPageAsync_AfterAttempts_NeverAttemptedFirstThenOldestAttemptFirst()
    {
        var a = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Ayres");
        var b = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Bell");
        var c = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Cole");
        var d = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Drew");
        Assert.Equal([a.Id, b.Id, c.Id, d.Id], (await PageAsync(_nadia)).Rows.Select(r => r.RecordId));

        await RecordAttemptAsync(_nadia, b.Id);
        _db.Time.Advance(TimeSpan.FromMinutes(5));
        await RecordAttemptAsync(_nadia, a.Id);

        var page = await PageAsync(_nadia);
        Assert.Equal([c.Id, d.Id, b.Id, a.Id], page.Rows.Select(r => r.RecordId));
        var bRow = page.Rows.Single(r => r.RecordId == b.Id);
        Assert.Equal(1, bRow.AttemptCount);
        Assert.Equal(CoreTestDatabase.Start.UtcDateTime, bRow.LastAttemptAt);

        _db.Time.Advance(TimeSpan.FromMinutes(5));
        await RecordAttemptAsync(_nadia, b.Id); // b's second try sends it behind a
        Assert.Equal([c.Id, d.Id, a.Id, b.Id], (await PageAsync(_nadia)).Rows.Select(r => r.RecordId));
    }

    [Fact]
    public async Task GetPageAsync_SearchIgnoresCaseAndAccents_AndMatchesTheEndOfANumber()
    {
        var zoe = await _db.AddAwaitingRecordAsync(_north.Id, firstName: "Zoë", lastName: "Ångström", registration: "ZX70 ÉTÉ",
            phones: "+447700900456");
        await _db.AddAwaitingRecordAsync(_north.Id, firstName: "Other", lastName: "Person", registration: "AA11 AAA", phones: "+447700911111");

        foreach (var search in new[] { "zoe angstrom", "ZOË", "ngstr", "zx70 ete", "0900456", "+44 7700 900456" })
        {
            var found = (await PageAsync(_nadia, search: search)).Rows.Select(r => r.RecordId).ToList();
            Assert.True(found.SequenceEqual([zoe.Id]), $"'{search}' found [{string.Join(", ", found)}]");
        }
    }

    [Fact]
    public async Task GetPageAsync_DealershipAgentAsksForAnotherDealership_SeesOnlyOwn()
    {
        var north = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Northern");
        await _db.AddAwaitingRecordAsync(_south.Id, lastName: "Southern");

        var own = await PageAsync(_nadia);
        var sneaky = await PageAsync(_nadia, dealershipId: _south.Id);
        var sneakySearch = await PageAsync(_nadia, search: "Southern", dealershipId: _south.Id);

        Assert.Equal([north.Id], own.Rows.Select(r => r.RecordId));
        Assert.Equal([north.Id], sneaky.Rows.Select(r => r.RecordId));
        Assert.Empty(sneakySearch.Rows);
        Assert.Equal(0, sneakySearch.Total);
        Assert.Equal("Southern", Assert.Single((await PageAsync(_sam)).Rows).CustomerName.Split(' ')[^1]);
    }

    [Fact]
    public async Task GetPageAsync_HeadOffice_SeesAllAndCanFilterByDealership()
    {
        var north = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Northern");
        var south = await _db.AddAwaitingRecordAsync(_south.Id, lastName: "Southern");

        var all = await PageAsync(_harper);
        var southOnly = await PageAsync(_harper, dealershipId: _south.Id);

        Assert.Equal([north.Id, south.Id], all.Rows.Select(r => r.RecordId).Order());
        Assert.Equal(2, all.Total);
        var row = Assert.Single(southOnly.Rows);
        Assert.Equal(south.Id, row.RecordId);
        Assert.Equal("Southbank Cars", row.DealershipName);
    }

    [Theory]
    [InlineData("Hargreaves")]
    [InlineData("hargreaves")]
    [InlineData("greav")]
    [InlineData("Ruth Hargreaves")]
    public async Task GetPageAsync_SearchByName_FindsCustomer(string search)
    {
        var ruth = await _db.AddAwaitingRecordAsync(_north.Id, "Ruth", "Hargreaves", registration: "YX21 ABC");
        await _db.AddAwaitingRecordAsync(_north.Id, "Tom", "Baker", registration: "LM70 XYZ");

        var page = await PageAsync(_nadia, search);

        Assert.Equal([ruth.Id], page.Rows.Select(r => r.RecordId));
        Assert.Equal(1, page.Total);
    }

    [Theory]
    [InlineData("YX21ABC")]
    [InlineData("YX21 ABC")]
    [InlineData("yx21abc")]
    [InlineData(" YX 21 ABC ")]
    public async Task GetPageAsync_SearchByRegistration_IgnoresSpaces(string search)
    {
        var ruth = await _db.AddAwaitingRecordAsync(_north.Id, "Ruth", "Hargreaves", registration: "YX21 ABC");
        await _db.AddAwaitingRecordAsync(_north.Id, "Tom", "Baker", registration: "LM70 XYZ");

        var page = await PageAsync(_nadia, search);

        var row = Assert.Single(page.Rows);
        Assert.Equal(ruth.Id, row.RecordId);
        Assert.Equal("YX21 ABC", row.Registration);
    }

    [Theory]
    [InlineData("07700 900123")]
    [InlineData("07700900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("900123")]
    public async Task GetPageAsync_SearchByPhoneAsTyped_MatchesStoredE164(string search)
    {
        var ruth = await _db.AddAwaitingRecordAsync(_north.Id, "Ruth", "Hargreaves", phones: ["+441134960001", "+447700900123"]);
        await _db.AddAwaitingRecordAsync(_north.Id, "Tom", "Baker", phones: ["+447700900456"]);

        var page = await PageAsync(_nadia, search);

        Assert.Equal([ruth.Id], page.Rows.Select(r => r.RecordId));
    }

    [Fact]
    public async Task GetPageAsync_SearchWithLikeWildcards_MatchesThemLiterally()
    {
        await _db.AddAwaitingRecordAsync(_north.Id, "Ruth", "Hargreaves");

        Assert.Empty((await PageAsync(_nadia, "%")).Rows);
        Assert.Empty((await PageAsync(_nadia, "H_rgreaves")).Rows);
    }

    [Fact]
    public async Task GetPageAsync_Paging_ReturnsSliceAndFullTotal()
    {
        var ids = new List<int>();
        for (var i = 0; i < 12; i++)
            ids.Add((await _db.AddAwaitingRecordAsync(_north.Id, lastName: $"Page{i:D2}")).Id);
        await _db.AddAwaitingRecordAsync(_south.Id, lastName: "Elsewhere");

        var first = await PageAsync(_nadia, skip: 0, take: 5);
        var third = await PageAsync(_nadia, skip: 10, take: 5);
        var beyond = await PageAsync(_nadia, skip: 20, take: 5);

        Assert.Equal(ids.Take(5), first.Rows.Select(r => r.RecordId));
        Assert.Equal(ids.Skip(10), third.Rows.Select(r => r.RecordId));
        Assert.Empty(beyond.Rows);
        Assert.All([first, third, beyond], p => Assert.Equal(12, p.Total));
    }

    [Fact]
    public async Task GetPageAsync_PageAfterOrBeforeARowsPlace_SameRowsAsTheNumberedPage()
    {
        var ids = new List<int>();
        for (var i = 0; i < 12; i++)
            ids.Add((await _db.AddAwaitingRecordAsync(_north.Id, lastName: $"Turn{i:D2}")).Id);
        await RecordAttemptAsync(_nadia, ids[0]); // attempted: now last, at a ChaseKey of its own
        var order = ids.Skip(1).Append(ids[0]).ToList();

        var first = await PageAsync(_nadia, take: 5);
        var second = await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 5, After: first.Rows[^1].Place));
        var third = await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 5, After: second.Rows[^1].Place));
        var back = await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 5, Before: third.Rows[0].Place));
        var last = await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 2, FromEnd: true));

        Assert.Equal(order.Skip(5).Take(5), second.Rows.Select(r => r.RecordId));
        Assert.Equal(order.Skip(10), third.Rows.Select(r => r.RecordId));
        Assert.Equal(order.Skip(5).Take(5), back.Rows.Select(r => r.RecordId));
        Assert.Equal(order.Skip(10), last.Rows.Select(r => r.RecordId));
        Assert.All([second, third, back, last], p => Assert.Equal(12, p.Total));
    }

    [Fact]
    public async Task GetPageAsync_DeepNumberedPages_SameRowsAsTheWholeListInOrder_AlsoAfterItChanges()
    {
        // More chased rows than two of the largest pages, and due call-backs above them: numbered pages seek from known places.
        const int count = 2 * ChaseListQuery.MaxPageSize + 37;
        var ids = new List<int>();
        await using (var db = _db.NewDbContext())
        {
            var records = Enumerable.Range(0, count).Select(i =>
            {
                var customer = new KonnectLive.Core.Customers.Customer { DealershipId = _north.Id, FirstName = "Dee", LastName = $"Deep{i:D3}" };
                var vehicle = new KonnectLive.Core.Customers.Vehicle { Registration = $"DP{i:D3} ABC" };
                customer.Vehicles.Add(vehicle);
                return SurveyRecord.Create($"DEEP-{i:D4}", _north.Id, customer, vehicle, SurveyStatus.Awaiting,
                    _db.Now.AddDays(-1), null, EventType.Service, _db.Now.AddDays(-3), _db.Now.AddDays(-1));
            }).ToList();
            db.SurveyRecords.AddRange(records);
            await db.SaveChangesAsync();
            ids.AddRange(records.Select(r => r.Id));
        }
        var callBack = await _db.OutcomeIdAsync(DatabaseInitializer.CallBackLaterOutcome);
        foreach (var (i, hours) in new[] { (5, 3), (300, 1), (420, 2) })
            await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(ids[i], callBack, null, _db.Now, null, CallbackAt: _db.Now.AddHours(hours)));
        await RecordAttemptAsync(_nadia, ids[7]); // to the bottom of the chased band
        _db.Time.Advance(TimeSpan.FromHours(4)); // the call-backs come due: a band of three above the chased customers

        await AssertEveryNumberedPageAsync(count);

        // The list changes (a record added, published as the app does; a due call-back called): page N is the N-th page of the new list.
        var added = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Deep999");
        await _db.Services.GetRequiredService<ILiveEventPublisher>().PublishAsync(new LiveEvent(LiveEventKind.RecordAdded, _north.Id, added.Id));
        await RecordAttemptAsync(_nadia, ids[300]);
        await AssertEveryNumberedPageAsync(count + 1);
    }

    /// <summary>Every numbered page at three page sizes (and one odd offset) against the whole list read by a search, which pages by OFFSET.</summary>
    private async Task AssertEveryNumberedPageAsync(int count)
    {
        var whole = new List<int>();
        for (var skip = 0; skip < count; skip += ChaseListQuery.MaxPageSize)
            whole.AddRange((await PageAsync(_nadia, "Deep", skip: skip, take: ChaseListQuery.MaxPageSize)).Rows.Select(r => r.RecordId));
        Assert.Equal(count, whole.Count);
        foreach (var size in new[] { 25, 50, 100 })
            for (var skip = 0; skip <= count; skip += size)
            {
                var page = await PageAsync(_nadia, skip: skip, take: size);
                Assert.Equal(whole.Skip(skip).Take(size), page.Rows.Select(r => r.RecordId));
                Assert.Equal(count, page.Total);
            }
        Assert.Equal(whole.Skip(230).Take(25), (await PageAsync(_nadia, skip: 230, take: 25)).Rows.Select(r => r.RecordId));
        Assert.Equal(whole.Skip(1).Take(25), (await PageAsync(_nadia, skip: 1, take: 25)).Rows.Select(r => r.RecordId));
        // Crossing from the call-backs' band into the chased customers'.
        Assert.Equal(whole.Skip(2).Take(5), (await PageAsync(_nadia, skip: 2, take: 5)).Rows.Select(r => r.RecordId));
        Assert.Equal(whole.Skip(count - 3), (await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 3, FromEnd: true))).Rows.Select(r => r.RecordId));
    }

    [Fact]
    public async Task GetPageAsync_ListChangedAndPublished_CountsAgain()
    {
        var first = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Counted");
        Assert.Equal(1, (await PageAsync(_nadia)).Total);

        // The count is read once per change: a record added with its live event (as every writer of the app publishes) is counted.
        var added = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Added");
        await _db.Services.GetRequiredService<ILiveEventPublisher>().PublishAsync(new LiveEvent(LiveEventKind.RecordAdded, _north.Id, added.Id));
        Assert.Equal(2, (await PageAsync(_nadia)).Total);

        // A lock changes who calls, not who is on the list: the count is reused.
        Assert.True((await _db.Locks.AcquireAsync(_nadia, first.Id, "page-1")).Succeeded);
        Assert.Equal(2, (await PageAsync(_nadia)).Total);

        // An attempt moves the customer down and publishes: still two, read again.
        await _db.Locks.ReleaseAsync(_nadia, first.Id, "page-1");
        await RecordAttemptAsync(_nadia, first.Id);
        Assert.Equal(2, (await PageAsync(_nadia)).Total);
    }

    [Fact]
    public async Task GetPageAsync_CallBackComesDue_CountedWithoutAnEvent()
    {
        var waiting = await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Later");
        await _db.AddAwaitingRecordAsync(_north.Id, lastName: "Now");
        var outcome = await _db.OutcomeIdAsync(DatabaseInitializer.CallBackLaterOutcome);
        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(waiting.Id, outcome, null, _db.Now, null, CallbackAt: _db.Now.AddHours(1)));
        Assert.Equal(1, (await PageAsync(_nadia)).Total);

        _db.Time.Advance(TimeSpan.FromHours(1)); // no event: the announcer has not run yet
        Assert.Equal(2, (await PageAsync(_nadia)).Total);
    }

    [Fact]
    public async Task GetPageAsync_LockedRecord_ShowsHolderOnlyWhileLeaseUnexpired()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id);
        var noah = CoreTestDatabase.Agent("Noah Northcote", _north.Id);
        await _db.Locks.AcquireAsync(noah, record.Id, TestPage.Token);

        var held = Assert.Single((await PageAsync(_nadia)).Rows);
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds));
        var expired = Assert.Single((await PageAsync(_nadia)).Rows);

        Assert.Equal("Noah Northcote", held.LockHolderName);
        Assert.Equal(noah.UserId, held.LockHolderId);
        Assert.Null(expired.LockHolderName);
        Assert.Null(expired.LockHolderId);
    }

    [Fact]
    public async Task GetPageAsync_UserWithoutCsiVoice_GetsNothing()
    {
        await _db.AddAwaitingRecordAsync(_north.Id);
        var nell = CoreTestDatabase.Agent("Nell Novak", _north.Id, csiVoice: false);

        var page = await PageAsync(nell);

        Assert.Empty(page.Rows);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task GetPageAsync_Row_CarriesCustomerVehicleAndDealership()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, "Ruth", "Hargreaves", title: "Dr", registration: "YX21 ABC");

        var row = Assert.Single((await PageAsync(_nadia)).Rows);

        Assert.Equal(record.Id, row.RecordId);
        Assert.Equal("Dr Ruth Hargreaves", row.CustomerName);
        Assert.Equal("Northgate Motors", row.DealershipName);
        Assert.Equal("Kestrel Aero", row.VehicleDescription);
        Assert.Equal(0, row.AttemptCount);
        Assert.Null(row.LastAttemptAt);
    }
}

public sealed class ChaseListQueryTestsOnPostgreSql : ChaseListQueryTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
