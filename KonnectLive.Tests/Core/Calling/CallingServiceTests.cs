using FluentValidation;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Core;

public sealed class CallingServiceTests : IAsyncLifetime
{
    private const string Mobile = "+447700900123";
    private const string Home = "+441134960001";

    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private Dealership _south = null!;
    private UserScope _nadia = null!;
    private UserScope _noah = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _south = await _db.AddDealershipAsync("Southbank Cars");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
        _noah = CoreTestDatabase.Agent("Noah Northcote", _north.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<int> RecordWithPhonesAsync() =>
        (await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer", email: "alice@example.com", phones: [Mobile, Home])).Id;

    private async Task<int> CountAttemptsAsync()
    {
        await using var db = _db.NewDbContext();
        return await db.CallAttempts.CountAsync();
    }

    [Fact]
    public async Task RecordAttemptAsync_HolderRecordsCall_StoresAttemptMovesRecordAndReleasesLock()
    {
        var recordId = await RecordWithPhonesAsync();
        await _db.Locks.AcquireAsync(_nadia, recordId, TestPage.Token);
        var started = _db.Now;
        _db.Time.Advance(TimeSpan.FromSeconds(95));
        var voicemail = await _db.OutcomeIdAsync("Voicemail");
        _db.ClearEvents();

        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, voicemail, Mobile, started, "  Left a message after the tone.  ",
            PageToken: TestPage.Token));

        var record = await _db.GetRecordAsync(recordId);
        Assert.Equal(1, record.AttemptCount);
        Assert.Equal(_db.Now, record.LastAttemptAt);
        Assert.Null(record.LockHolderId);
        Assert.Null(record.LockExpiresAt);
        await using var db = _db.NewDbContext();
        var attempt = await db.CallAttempts.Include(a => a.Outcome).SingleAsync();
        Assert.Equal(recordId, attempt.SurveyRecordId);
        Assert.Equal(_north.Id, attempt.DealershipId);
        Assert.Equal(_nadia.UserId, attempt.AgentId);
        Assert.Equal("Nadia North", attempt.AgentName);
        Assert.Equal(Mobile, attempt.NumberDialled);
        Assert.Equal(started, attempt.StartedAt);
        Assert.Equal(95, attempt.DurationSeconds);
        Assert.Equal(_db.Now, attempt.RecordedAt);
        Assert.Equal("Voicemail", attempt.Outcome.Name);
        Assert.Equal("Left a message after the tone.", attempt.Note);
        var recorded = Assert.Single(_db.Events);
        Assert.Equal(LiveEventKind.AttemptRecorded, recorded.Kind);
        Assert.Equal(recordId, recorded.RecordId);
        Assert.Equal(_north.Id, recorded.DealershipId);
        Assert.Equal(_nadia.UserId, recorded.AgentId);
        Assert.Equal("Voicemail", recorded.Reason);
        Assert.Equal(LockOutcome.Acquired, (await _db.Locks.AcquireAsync(_noah, recordId, TestPage.Token)).Outcome);
    }

    [Fact]
    public async Task RecordAttemptAsync_SecondAttempt_IncrementsCountAgain()
    {
        var recordId = await RecordWithPhonesAsync();
        var outcome = await _db.OutcomeIdAsync();
        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, outcome, null, _db.Now, null));
        _db.Time.Advance(TimeSpan.FromHours(2));

        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, outcome, null, _db.Now, "   "));

        var record = await _db.GetRecordAsync(recordId);
        Assert.Equal(2, record.AttemptCount);
        Assert.Equal(_db.Now, record.LastAttemptAt);
        await using var db = _db.NewDbContext();
        Assert.All(await db.CallAttempts.ToListAsync(), a => Assert.Null(a.Note)); // a blank note is no note
    }

    [Fact]
    public async Task RecordAttemptAsync_StartedInTheFuture_CountsAsStartedNow()
    {
        var recordId = await RecordWithPhonesAsync();

        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(), null, _db.Now.AddMinutes(10), null));

        await using var db = _db.NewDbContext();
        var attempt = await db.CallAttempts.SingleAsync();
        Assert.Equal(_db.Now, attempt.StartedAt);
        Assert.Equal(0, attempt.DurationSeconds);
    }

    [Fact]
    public async Task RecordAttemptAsync_AnotherAgentHoldsUnexpiredLock_RecordedButTheChaseListAndTheirLockLeftAlone()
    {
        // Changed with issue 9: the call took place, so it is recorded; only the outcome's effect on the list is withheld.
        var recordId = await RecordWithPhonesAsync();
        await _db.Locks.AcquireAsync(_noah, recordId, TestPage.Token);
        var before = await _db.GetRecordAsync(recordId);
        _db.ClearEvents();

        var result = await _db.Calling.RecordAttemptAsync(_nadia,
            new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(DatabaseInitializer.WillCompleteOutcome), Mobile, _db.Now, "Tried", PageToken: "nadias-page"));

        Assert.Equal("Spoke – will complete survey recorded. Noah Northcote has the customer open now, so the chase list is left to their call.", result.Message);
        Assert.False(result.ChaseUpdated);
        Assert.False(result.LeftChaseList);
        var record = await _db.GetRecordAsync(recordId);
        Assert.Equal(1, record.AttemptCount);
        Assert.Equal((before.ChaseKey, before.ChaseEndedAt), (record.ChaseKey, record.ChaseEndedAt));
        Assert.Equal((_noah.UserId, before.LockExpiresAt), (record.LockHolderId, record.LockExpiresAt));
        Assert.Equal(1, await CountAttemptsAsync());
        Assert.Equal(LiveEventKind.AttemptRecorded, Assert.Single(_db.Events).Kind);
    }

    [Fact]
    public async Task RecordAttemptAsync_OtherAgentsLockExpired_Recorded()
    {
        var recordId = await RecordWithPhonesAsync();
        await _db.Locks.AcquireAsync(_noah, recordId, TestPage.Token);
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds));

        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(), null, _db.Now, null));

        Assert.Equal(1, (await _db.GetRecordAsync(recordId)).AttemptCount);
        Assert.Equal(1, await CountAttemptsAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_NumberUnsubscribedFromCalls_Refused()
    {
        var recordId = await RecordWithPhonesAsync();
        var phones = (await _db.Calling.GetViewAsync(_nadia, recordId))!.Phones;
        await _db.Calling.UnsubscribeAsync(_nadia, recordId, new UnsubscribeRequest([phones.Single(p => p.Number == Mobile).Id], [], false));

        var ex = await Assert.ThrowsAsync<DomainException>(async () =>
            await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(), Mobile, _db.Now, null)));

        Assert.Contains("unsubscribed", ex.Message);
        Assert.Equal(0, (await _db.GetRecordAsync(recordId)).AttemptCount);
        Assert.Equal(0, await CountAttemptsAsync());
    }

    [Theory]
    [InlineData("+447700900999")] // someone else's number
    [InlineData("07700 900123")] // the customer's number, but not as stored: the page only dials stored numbers
    public async Task RecordAttemptAsync_NumberNotTheCustomers_Refused(string dialled)
    {
        var recordId = await RecordWithPhonesAsync();
        await _db.AddAwaitingRecordAsync(_north.Id, "Other", "Person", phones: ["+447700900999"]);

        await Assert.ThrowsAsync<DomainException>(async () =>
            await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(), dialled, _db.Now, null)));

        Assert.Equal(0, (await _db.GetRecordAsync(recordId)).AttemptCount);
        Assert.Equal(0, await CountAttemptsAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_NoteLongerThan2000_ValidationExceptionAndNothingStored()
    {
        var recordId = await RecordWithPhonesAsync();
        await _db.Locks.AcquireAsync(_nadia, recordId, TestPage.Token);
        _db.ClearEvents();

        var ex = await Assert.ThrowsAsync<ValidationException>(async () =>
            await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(), Mobile, _db.Now, new string('x', 2001))));

        Assert.Contains(ex.Errors, e => e.PropertyName == nameof(RecordAttemptCommand.Note));
        var record = await _db.GetRecordAsync(recordId);
        Assert.Equal(0, record.AttemptCount);
        Assert.Equal(_nadia.UserId, record.LockHolderId); // still on the call
        Assert.Equal(0, await CountAttemptsAsync());
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task RecordAttemptAsync_NoteOfExactly2000_Stored()
    {
        var recordId = await RecordWithPhonesAsync();

        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(), null, _db.Now, new string('x', 2000)));

        await using var db = _db.NewDbContext();
        Assert.Equal(2000, (await db.CallAttempts.SingleAsync()).Note!.Length);
    }

    [Fact]
    public async Task RecordAttemptAsync_RecordOfAnotherDealership_Refused()
    {
        var recordId = await RecordWithPhonesAsync();
        var sam = CoreTestDatabase.Agent("Sam Southall", _south.Id);

        await Assert.ThrowsAsync<DomainException>(async () =>
            await _db.Calling.RecordAttemptAsync(sam, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(), null, _db.Now, null)));

        Assert.Equal(0, await CountAttemptsAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_InactiveOutcome_Refused()
    {
        var recordId = await RecordWithPhonesAsync();
        var outcome = await _db.OutcomeIdAsync("Wrong number");
        await using (var db = _db.NewDbContext())
            await db.CallOutcomes.Where(o => o.Id == outcome).ExecuteUpdateAsync(s => s.SetProperty(o => o.IsActive, false));

        await Assert.ThrowsAsync<DomainException>(async () =>
            await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, outcome, null, _db.Now, null)));

        Assert.Equal(0, await CountAttemptsAsync());
    }

    [Fact]
    public async Task UnsubscribeAsync_NumbersChannelsAndEmail_StoresWhoAndWhen()
    {
        var recordId = await RecordWithPhonesAsync();
        var phones = (await _db.Calling.GetViewAsync(_nadia, recordId))!.Phones;
        var mobile = phones.Single(p => p.Number == Mobile).Id;
        var home = phones.Single(p => p.Number == Home).Id;
        _db.ClearEvents();

        var changes = await _db.Calling.UnsubscribeAsync(_nadia, recordId, new UnsubscribeRequest([mobile], [mobile, home], Email: true));

        Assert.Equal(4, changes);
        await using var db = _db.NewDbContext();
        var customer = await db.Customers.Include(c => c.Phones).SingleAsync(c => c.LastName == "Archer");
        var m = customer.Phones.Single(p => p.Id == mobile);
        var h = customer.Phones.Single(p => p.Id == home);
        Assert.Equal((_db.Now, "Nadia North"), (m.CallUnsubscribedAt!.Value, m.CallUnsubscribedBy!));
        Assert.Equal((_db.Now, "Nadia North"), (m.SmsUnsubscribedAt!.Value, m.SmsUnsubscribedBy!));
        Assert.Equal((_db.Now, "Nadia North"), (h.SmsUnsubscribedAt!.Value, h.SmsUnsubscribedBy!));
        Assert.Null(h.CallUnsubscribedAt); // home stays callable
        Assert.Null(h.CallUnsubscribedBy);
        Assert.Equal((_db.Now, "Nadia North"), (customer.EmailUnsubscribedAt!.Value, customer.EmailUnsubscribedBy!));
        var changed = Assert.Single(_db.Events);
        Assert.Equal(LiveEventKind.RecordChanged, changed.Kind);
        Assert.Equal("unsubscribed", changed.Reason);

        var view = (await _db.Calling.GetViewAsync(_nadia, recordId))!;
        Assert.True(view.EmailUnsubscribed);
        Assert.False(view.Phones.Single(p => p.Id == mobile).IsCallable);
        Assert.True(view.Phones.Single(p => p.Id == home).IsCallable);
    }

    [Fact]
    public async Task UnsubscribeAsync_PhoneOfAnotherCustomer_RefusedAndNothingSaved()
    {
        var recordId = await RecordWithPhonesAsync();
        var otherId = (await _db.AddAwaitingRecordAsync(_north.Id, "Other", "Person", phones: ["+447700900999"])).Id;
        var own = (await _db.Calling.GetViewAsync(_nadia, recordId))!.Phones[0].Id;
        var foreign = (await _db.Calling.GetViewAsync(_nadia, otherId))!.Phones[0].Id;
        _db.ClearEvents();

        await Assert.ThrowsAsync<DomainException>(() =>
            _db.Calling.UnsubscribeAsync(_nadia, recordId, new UnsubscribeRequest([own], [foreign], Email: true)));

        var mine = (await _db.Calling.GetViewAsync(_nadia, recordId))!;
        var theirs = (await _db.Calling.GetViewAsync(_nadia, otherId))!;
        Assert.False(mine.EmailUnsubscribed);
        Assert.All(mine.Phones, p => Assert.False(p.CallUnsubscribed || p.SmsUnsubscribed));
        Assert.All(theirs.Phones, p => Assert.False(p.CallUnsubscribed || p.SmsUnsubscribed));
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task UnsubscribeAsync_AlreadyUnsubscribed_KeepsOriginalWhoAndWhen()
    {
        var recordId = await RecordWithPhonesAsync();
        var mobile = (await _db.Calling.GetViewAsync(_nadia, recordId))!.Phones.Single(p => p.Number == Mobile).Id;
        await _db.Calling.UnsubscribeAsync(_nadia, recordId, new UnsubscribeRequest([mobile], [], Email: true));
        var first = _db.Now;
        _db.Time.Advance(TimeSpan.FromDays(2));
        _db.ClearEvents();

        var changes = await _db.Calling.UnsubscribeAsync(_noah, recordId, new UnsubscribeRequest([mobile], [], Email: true));

        Assert.Equal(0, changes);
        Assert.Empty(_db.Events);
        await using var db = _db.NewDbContext();
        var customer = await db.Customers.Include(c => c.Phones).SingleAsync(c => c.LastName == "Archer");
        var m = customer.Phones.Single(p => p.Id == mobile);
        Assert.Equal(first, m.CallUnsubscribedAt);
        Assert.Equal("Nadia North", m.CallUnsubscribedBy);
        Assert.Equal(first, customer.EmailUnsubscribedAt);
        Assert.Equal("Nadia North", customer.EmailUnsubscribedBy);
    }

    [Fact]
    public async Task UnsubscribeAsync_RecordOfAnotherDealership_Refused()
    {
        var recordId = await RecordWithPhonesAsync();
        var sam = CoreTestDatabase.Agent("Sam Southall", _south.Id);

        await Assert.ThrowsAsync<DomainException>(() =>
            _db.Calling.UnsubscribeAsync(sam, recordId, new UnsubscribeRequest([], [], Email: true)));

        Assert.False((await _db.Calling.GetViewAsync(_nadia, recordId))!.EmailUnsubscribed);
    }

    [Fact]
    public async Task GetViewAsync_RecordOfAnotherDealership_ReturnsNull()
    {
        var recordId = await RecordWithPhonesAsync();

        Assert.Null(await _db.Calling.GetViewAsync(CoreTestDatabase.Agent("Sam Southall", _south.Id), recordId));
        Assert.NotNull(await _db.Calling.GetViewAsync(CoreTestDatabase.Agent("Harper Office", null), recordId));
    }
}
