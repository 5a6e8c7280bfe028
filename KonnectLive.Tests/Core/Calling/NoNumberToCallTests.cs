using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Users;

namespace KonnectLive.Tests.Core;

/// <summary>Customers with no number to call sink below the callable ones on the chase list, and come back up when callable again.</summary>
public sealed class NoNumberToCallTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private UserScope _nadia = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<IReadOnlyList<string>> ListedAsync() =>
        [.. (await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 20))).Rows.Select(r => r.CustomerName.Split(' ')[^1])];

    private async Task<int> PhoneIdAsync(int recordId)
    {
        await using var db = _db.NewDbContext();
        var customerId = db.SurveyRecords.Where(r => r.Id == recordId).Select(r => r.CustomerId).Single();
        return db.CustomerPhones.Where(p => p.CustomerId == customerId).Select(p => p.Id).First();
    }

    [Fact]
    public async Task Unsubscribe_LastCallableNumber_SinksTheCustomerBelowTheCallableOnes()
    {
        var a = (await _db.AddAwaitingRecordAsync(_north.Id, "Test", "Ayres", phones: "+441614960001")).Id;
        await _db.AddAwaitingRecordAsync(_north.Id, "Test", "Bell", phones: "+441614960002");
        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(a, await _db.OutcomeIdAsync(DatabaseInitializer.NoAnswerOutcome),
            null, _db.Now, null)); // Ayres attempted: below Bell anyway; unsubscribing Bell must put Bell below Ayres
        var bell = (await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 5))).Rows.Single(r => r.CustomerName.EndsWith("Bell")).RecordId;
        Assert.Equal(["Bell", "Ayres"], await ListedAsync());

        await _db.Calling.UnsubscribeAsync(_nadia, bell, new UnsubscribeRequest([await PhoneIdAsync(bell)], [], false));

        Assert.Equal(["Ayres", "Bell"], await ListedAsync());
        var row = (await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 5))).Rows[1];
        Assert.False(row.HasCallableNumber);
    }

    [Fact]
    public async Task Ingest_CustomerWithoutPhones_IsListedLast_AndAnAddedNumberBringsThemBackUp()
    {
        var none = await _db.AddAwaitingRecordAsync(_north.Id, "Test", "Ayres");
        await _db.AddAwaitingRecordAsync(_north.Id, "Test", "Bell", phones: "+441614960002");
        await using (var db = _db.NewDbContext())
            await NoNumberToCall.SyncAsync(db, [none.CustomerId, none.CustomerId + 1]);
        Assert.Equal(["Bell", "Ayres"], await ListedAsync());

        await using (var db = _db.NewDbContext())
        {
            db.CustomerPhones.Add(new KonnectLive.Core.Customers.CustomerPhone { CustomerId = none.CustomerId, Position = 1, Number = "+441614960009" });
            await db.SaveChangesAsync();
            Assert.Equal(1, await NoNumberToCall.SyncAsync(db, none.CustomerId));
        }
        Assert.Equal(["Ayres", "Bell"], await ListedAsync());
        Assert.Equal(0, (await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 5))).Rows.Count(r => !r.HasCallableNumber));
    }
}
