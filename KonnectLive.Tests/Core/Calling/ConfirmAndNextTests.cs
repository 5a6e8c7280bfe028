using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core;

/// <summary>
/// Confirm &amp; next in Core (ChaseNavigator.ConfirmAndNextAsync), on a real SQLite file and a FakeTimeProvider: the call is
/// recorded with the page's token and the next free customer is opened with the same token, or the agent goes back to the list.
/// </summary>
public sealed class ConfirmAndNextTests : IAsyncLifetime
{
    private const string Page = "nadias-page";

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

    private ChaseNavigator Navigator => _db.Services.GetRequiredService<ChaseNavigator>();

    private async Task<int> AddAsync(string lastName, params string[] phones) =>
        (await _db.AddAwaitingRecordAsync(_north.Id, "Test", lastName, phones: phones.Length == 0 ? ["+441614960001"] : phones)).Id;

    private async Task HoldAsync(int recordId) => Assert.True((await _db.Locks.AcquireAsync(_nadia, recordId, Page)).Succeeded);

    private async Task<RecordAttemptCommand> NoAnswerAsync(int recordId) =>
        new(recordId, await _db.OutcomeIdAsync(DatabaseInitializer.NoAnswerOutcome), null, _db.Now, "rang out", PageToken: Page);

    [Fact]
    public async Task ConfirmAndNextAsync_RecordsTheCallAndOpensTheNextFreeCustomerWithTheSamePageToken()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        var c = await AddAsync("Cole");
        await _db.Locks.AcquireAsync(_noah, b, "noahs-page");
        await HoldAsync(a);

        var result = await Navigator.ConfirmAndNextAsync(_nadia, await NoAnswerAsync(a));

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Opened, c), result.Move);
        Assert.Equal("No answer recorded; they stay on the chase list.", result.Recorded.Message);
        Assert.True(result.Recorded.AttemptId > 0);
        var recorded = await _db.GetRecordAsync(a);
        Assert.Equal((1, null), (recorded.AttemptCount, recorded.LockHolderId));
        var opened = await _db.GetRecordAsync(c);
        Assert.Equal((_nadia.UserId, Page), (opened.LockHolderId, opened.LockToken));
    }

    [Fact]
    public async Task ConfirmAndNextAsync_FromTheLastCustomer_StartsAgainFromTheTop()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        await HoldAsync(b);

        var result = await Navigator.ConfirmAndNextAsync(_nadia, await NoAnswerAsync(b));

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Opened, a), result.Move);
    }

    [Fact]
    public async Task ConfirmAndNextAsync_NobodyElseFree_RecordsAndSendsTheAgentBackToTheListSayingSo()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        await _db.Locks.AcquireAsync(_noah, b, "noahs-page");
        await HoldAsync(a);

        var result = await Navigator.ConfirmAndNextAsync(_nadia, await NoAnswerAsync(a));

        Assert.Equal(ChaseMoveOutcome.Left, result.Move.Outcome);
        Assert.Equal("No other customer is free to call on the chase list, so you are back on the list.", result.Move.Message);
        var recorded = await _db.GetRecordAsync(a);
        Assert.Equal((1, null), (recorded.AttemptCount, recorded.LockHolderId)); // recorded, and not taken again
    }

    [Fact]
    public async Task ConfirmAndNextAsync_SkipsCustomersWithNoNumberToCall()
    {
        var a = await AddAsync("Ayres");
        var b = await AddAsync("Bell");
        var c = await AddAsync("Cole");
        await _db.Calling.UnsubscribeAsync(_nadia, b, new UnsubscribeRequest([(await PhoneIdAsync(b))], [], false));
        await HoldAsync(a);

        var result = await Navigator.ConfirmAndNextAsync(_nadia, await NoAnswerAsync(a));

        Assert.Equal(new ChaseMove(ChaseMoveOutcome.Opened, c), result.Move);
    }

    [Fact]
    public async Task ConfirmAndNextAsync_RefusedOutcome_ThrowsAndKeepsTheCustomer()
    {
        var a = await AddAsync("Ayres");
        await AddAsync("Bell");
        await HoldAsync(a);
        var declinedWithoutReason = new RecordAttemptCommand(a, await _db.OutcomeIdAsync(DatabaseInitializer.DeclinedOutcome), null, _db.Now, null,
            PageToken: Page);

        await Assert.ThrowsAsync<DomainException>(() => Navigator.ConfirmAndNextAsync(_nadia, declinedWithoutReason));

        var kept = await _db.GetRecordAsync(a);
        Assert.Equal((0, _nadia.UserId, Page), (kept.AttemptCount, kept.LockHolderId, kept.LockToken));
    }

    private async Task<int> PhoneIdAsync(int recordId)
    {
        await using var db = _db.NewDbContext();
        var customerId = db.SurveyRecords.Where(r => r.Id == recordId).Select(r => r.CustomerId).Single();
        return db.CustomerPhones.Where(p => p.CustomerId == customerId).Select(p => p.Id).First();
    }
}
