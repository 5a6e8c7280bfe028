using KonnectLive.Core.Audit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Core;

/// <summary>The audit log's record of calls, unsubscribes and locks: who, what, when, and which customer.</summary>
public sealed class CallingAuditTests : IAsyncLifetime
{
    private const string Mobile = "+447700900123";

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

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var db = _db.NewDbContext();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task RecordAttemptAsync_Declined_AuditsOutcomeNumberAndReason()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, email: "alice@example.com", phones: [Mobile]);
        await using (var db = _db.NewDbContext())
        {
            var reasonId = await db.DeclineReasons.Where(r => r.IsActive).OrderBy(r => r.SortOrder).Select(r => r.Id).FirstAsync();
            await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(record.Id, await _db.OutcomeIdAsync(DatabaseInitializer.DeclinedOutcome),
                Mobile, _db.Now, null, DeclineReasonId: reasonId));
        }

        var entry = Assert.Single(await AuditAsync(CallingService.RecordedAction));
        Assert.Equal(_nadia.UserId, entry.UserId);
        Assert.Equal("Nadia North", entry.UserName);
        Assert.Equal(_db.Now, entry.At);
        Assert.Equal(record.CustomerId, entry.CustomerId);
        Assert.Equal(record.Id.ToString(), entry.EntityId);
        Assert.Contains($"Outcome: {DatabaseInitializer.DeclinedOutcome}", entry.Details);
        Assert.Contains($"number: {Mobile}", entry.Details);
        Assert.Contains($"decline reason: {DatabaseInitializer.DefaultDeclineReasons[0]}", entry.Details);
    }

    [Fact]
    public async Task RecordAttemptAsync_CallBack_AuditsTheTime()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);

        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(record.Id, await _db.OutcomeIdAsync(DatabaseInitializer.CallBackLaterOutcome),
            null, _db.Now, null, CallbackAt: _db.Now.AddHours(2)));

        Assert.Contains("call back: 2026-03-02 11:00 UTC", Assert.Single(await AuditAsync(CallingService.RecordedAction)).Details);
    }

    [Fact]
    public async Task RecordAttemptAsync_RefusedBecauseOpenInTheAgentsOtherTab_NothingAudited()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);

        await Assert.ThrowsAsync<KonnectLive.Core.Common.DomainException>(async () =>
            await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(record.Id, await _db.OutcomeIdAsync(), null, _db.Now, null,
                PageToken: "second-tab")));

        Assert.Empty(await AuditAsync(CallingService.RecordedAction));
    }

    [Fact]
    public async Task UnsubscribeAsync_Changes_AuditsWhatWasUnsubscribed()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, email: "alice@example.com", phones: [Mobile]);
        var phone = (await _db.Calling.GetViewAsync(_nadia, record.Id))!.Phones[0].Id;

        await _db.Calling.UnsubscribeAsync(_nadia, record.Id, new UnsubscribeRequest([phone], [phone], Email: true));
        await _db.Calling.UnsubscribeAsync(_nadia, record.Id, new UnsubscribeRequest([phone], [], Email: true)); // nothing new

        var entry = Assert.Single(await AuditAsync(CallingService.UnsubscribedAction));
        Assert.Equal(record.CustomerId, entry.CustomerId);
        Assert.Equal("Nadia North", entry.UserName);
        Assert.Equal($"Unsubscribed calls to {Mobile}, SMS to {Mobile}, email to alice@example.com", entry.Details);
    }

    [Fact]
    public async Task AcquireAsync_NewlyTakenThenReconfirmedThenReleased_AuditsTakeAndReleaseOnce()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);

        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);
        _db.Time.Advance(TimeSpan.FromSeconds(5));
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token); // the page re-opened: the same lease, not a new take
        await _db.Locks.RenewAsync(_nadia, record.Id, TestPage.Token);
        await _db.Locks.ReleaseAsync(_nadia, record.Id, TestPage.Token);
        await _db.Locks.ReleaseAsync(_nadia, record.Id, TestPage.Token); // idempotent: nothing to release

        var acquired = Assert.Single(await AuditAsync(CallLockService.AcquiredAction));
        Assert.Equal(_nadia.UserId, acquired.UserId);
        Assert.Equal(record.CustomerId, acquired.CustomerId);
        Assert.Equal(CoreTestDatabase.Start.UtcDateTime, acquired.At);
        var released = Assert.Single(await AuditAsync(CallLockService.ReleasedAction));
        Assert.Equal(_nadia.UserId, released.UserId);
        Assert.Equal(_db.Now, released.At);
    }

    [Fact]
    public async Task AcquireAsync_Refused_NothingAudited()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);

        var refused = await _db.Locks.AcquireAsync(CoreTestDatabase.Agent("Noah Northcote", _north.Id), record.Id, TestPage.Token);

        Assert.Equal(LockOutcome.HeldByOther, refused.Outcome);
        Assert.Single(await AuditAsync(CallLockService.AcquiredAction));
    }

    [Fact]
    public async Task SweepExpiredAsync_LeaseRanOut_AuditedAsTheSystem()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        await _db.Locks.AcquireAsync(_nadia, record.Id, TestPage.Token);
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds));

        Assert.Equal(1, await _db.Locks.SweepExpiredAsync());

        var expired = Assert.Single(await AuditAsync(CallLockService.ExpiredAction));
        Assert.Null(expired.UserId);
        Assert.Equal("system", expired.UserName);
        Assert.Equal(record.CustomerId, expired.CustomerId);
        Assert.Contains("Nadia North", expired.Details);
        Assert.Empty(await AuditAsync(CallLockService.ReleasedAction));
    }
}
