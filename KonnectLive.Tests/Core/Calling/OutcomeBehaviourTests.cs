using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Notes;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core;

/// <summary>What each outcome behaviour does to the record, the chase list and the customer's numbers and messages.</summary>
public sealed class OutcomeBehaviourTests : IAsyncLifetime
{
    private const string Mobile = "+447700900123";
    private const string Home = "+441134960001";

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

    private async Task<SurveyRecord> AddAsync(string lastName = "Archer", params string[] phones) =>
        await _db.AddAwaitingRecordAsync(_north.Id, "Alice", lastName, email: "alice@example.com", phones: phones.Length == 0 ? [Mobile, Home] : phones);

    private async Task<AttemptResult> RecordAsync(UserScope agent, int recordId, string outcome, string? number = null, string? note = null,
        DateTime? callbackAt = null, int? declineReasonId = null, bool reserve = true) =>
        await _db.Calling.RecordAttemptAsync(agent, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(outcome), number, _db.Now, note,
            callbackAt, declineReasonId, reserve));

    private async Task<List<int>> ListedAsync(UserScope? user = null) =>
        [.. (await _db.ChaseList.GetPageAsync(user ?? _nadia, new ChaseListRequest(0, 50))).Rows.Select(r => r.RecordId)];

    private async Task<CallAttempt> LastAttemptAsync()
    {
        await using var db = _db.NewDbContext();
        return await db.CallAttempts.AsNoTracking().OrderByDescending(a => a.Id).FirstAsync();
    }

    private async Task<int> CountAttemptsAsync()
    {
        await using var db = _db.NewDbContext();
        return await db.CallAttempts.CountAsync();
    }

    private async Task UpdateOutcomeAsync(string name, Action<CallOutcome> change)
    {
        await using var db = _db.NewDbContext();
        change(await db.CallOutcomes.SingleAsync(o => o.Name == name));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task RecordAttemptAsync_KeepOnList_StaysOnListAtTheBottom()
    {
        var alice = await AddAsync("Archer");
        var bob = await AddAsync("Baker");

        var result = await RecordAsync(_nadia, alice.Id, DatabaseInitializer.NoAnswerOutcome);

        Assert.False(result.LeftChaseList);
        Assert.Equal("No answer recorded; they stay on the chase list.", result.Message);
        Assert.Equal([bob.Id, alice.Id], await ListedAsync());
        Assert.Equal(OutcomeBehaviour.KeepOnList, (await LastAttemptAsync()).Behaviour);
        Assert.Null((await _db.GetRecordAsync(alice.Id)).ChaseEndedAt);
    }

    [Fact]
    public async Task RecordAttemptAsync_TakeOffList_EndsTheChaseAndLeavesTheList()
    {
        var alice = await AddAsync();

        var result = await RecordAsync(_nadia, alice.Id, DatabaseInitializer.WillCompleteOutcome, Mobile);

        Assert.True(result.LeftChaseList);
        Assert.Contains("off the chase list", result.Message);
        var record = await _db.GetRecordAsync(alice.Id);
        Assert.Equal(_db.Now, record.ChaseEndedAt);
        Assert.Equal(DatabaseInitializer.WillCompleteOutcome, record.ChaseEndedReason);
        Assert.Equal(SurveyStatus.Awaiting, record.Status); // FOCUS owns the status
        Assert.Empty(await ListedAsync());
        Assert.Equal(OutcomeBehaviour.TakeOffList, (await LastAttemptAsync()).Behaviour);
    }

    [Fact]
    public async Task RecordAttemptAsync_CallBackLater_LeavesListAndReturnsAtTheTopWhenDue()
    {
        var alice = await AddAsync("Archer");
        var bob = await AddAsync("Baker"); // never attempted: the top of the list until a call-back is due
        var due = _db.Now.AddHours(2);

        var result = await RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, Mobile, callbackAt: due);

        Assert.True(result.LeftChaseList);
        Assert.Equal("Call back booked for Mon 2 Mar 11:00, reserved for you until 12:00.", result.Message);
        Assert.Equal([bob.Id], await ListedAsync());
        _db.Time.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal([bob.Id], await ListedAsync()); // a minute before due: still away

        _db.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal([alice.Id, bob.Id], await ListedAsync()); // above the never-attempted record
        var row = (await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 50))).Rows[0];
        Assert.Equal(due, row.CallbackDueAt);
        Assert.Equal(_nadia.UserId, row.ReservedForId);
        Assert.Equal("Nadia North", row.ReservedForName);
        Assert.Equal(due.AddMinutes(60), row.ReservedUntil);
        var attempt = await LastAttemptAsync();
        Assert.Equal(OutcomeBehaviour.CallBackLater, attempt.Behaviour);
        Assert.Equal(due, attempt.CallbackAt);
    }

    [Fact]
    public async Task RecordAttemptAsync_TwoCallBacksDue_EarliestDueFirst()
    {
        var alice = await AddAsync("Archer");
        var bob = await AddAsync("Baker");
        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddHours(3));
        await RecordAsync(_nadia, bob.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddHours(2));

        _db.Time.Advance(TimeSpan.FromHours(4));

        Assert.Equal([bob.Id, alice.Id], await ListedAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_CallBackReserved_OtherAgentRefusedUntilItLapsesBookerAllowed()
    {
        var alice = await AddAsync();
        var due = _db.Now.AddHours(2);
        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: due);
        _db.Time.Advance(TimeSpan.FromHours(2));

        var refused = await _db.Locks.AcquireAsync(_noah, alice.Id, TestPage.Token);

        Assert.Equal(LockOutcome.ReservedForOther, refused.Outcome);
        Assert.Equal("Reserved for Nadia North until 12:00 for their call back.", refused.Message);
        Assert.Null((await _db.GetRecordAsync(alice.Id)).LockHolderId);
        Assert.Null(await _db.ChaseList.FindNeighbourAsync(_noah, (await AddAsync("Zed")).Id, ChaseDirection.Previous));

        Assert.Equal(LockOutcome.Acquired, (await _db.Locks.AcquireAsync(_nadia, alice.Id, TestPage.Token)).Outcome);
        await _db.Locks.ReleaseAsync(_nadia, alice.Id, TestPage.Token);

        _db.Time.Advance(TimeSpan.FromMinutes(60)); // the reservation lapses at 12:00
        Assert.Equal(LockOutcome.Acquired, (await _db.Locks.AcquireAsync(_noah, alice.Id, TestPage.Token)).Outcome);
        var row = (await _db.ChaseList.GetPageAsync(_noah, new ChaseListRequest(0, 50))).Rows.Single(r => r.RecordId == alice.Id);
        Assert.Null(row.ReservedForName);
    }

    [Fact]
    public async Task Acquire_ReservedCallBackNotYetDue_AnotherAgentMayOpenTheCustomerWhoRangInEarly()
    {
        var alice = await AddAsync();
        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddHours(2));
        _db.Time.Advance(TimeSpan.FromMinutes(30));

        var opened = await _db.Locks.AcquireAsync(_noah, alice.Id, TestPage.Token);

        // Off the list until due, but a deliberate open (the customer rang back) is not held up by Nadia's reservation,
        // which only starts when the call-back falls due.
        Assert.Equal(LockOutcome.Acquired, opened.Outcome);
        Assert.DoesNotContain(alice.Id, await ListedAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_CallBackNotReserved_AnyoneMayTakeItButTheBookerIsRecorded()
    {
        var alice = await AddAsync();

        var result = await RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddDays(1), reserve: false);

        Assert.Equal("Call back booked for Tue 3 Mar 09:00; any agent may take it when it is due.", result.Message);
        var record = await _db.GetRecordAsync(alice.Id);
        Assert.Equal("Nadia North", record.CallbackAgentName);
        Assert.Null(record.CallbackAgentId);
        Assert.Null(record.ReservedUntil);
        _db.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(LockOutcome.Acquired, (await _db.Locks.AcquireAsync(_noah, alice.Id, TestPage.Token)).Outcome);
    }

    [Fact]
    public async Task RecordAttemptAsync_CallBackOutcomeWithoutReservation_NotReserved()
    {
        await UpdateOutcomeAsync(DatabaseInitializer.CallBackLaterOutcome, o => o.CallbackReserveMinutes = 0);
        var alice = await AddAsync();

        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddHours(1), reserve: true);

        Assert.Null((await _db.GetRecordAsync(alice.Id)).ReservedUntil);
    }

    [Theory]
    [InlineData(-10, "at least 5 minutes")] // in the past
    [InlineData(4, "at least 5 minutes")]
    [InlineData(90 * 24 * 60 + 1, "at most 90 days")]
    public async Task RecordAttemptAsync_CallBackTooSoonOrTooFar_RefusedAndNothingStored(int minutesAhead, string says)
    {
        var alice = await AddAsync();
        await _db.Locks.AcquireAsync(_nadia, alice.Id, TestPage.Token);

        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddMinutes(minutesAhead)));

        Assert.Contains(says, ex.Message);
        var record = await _db.GetRecordAsync(alice.Id);
        Assert.Equal(0, record.AttemptCount);
        Assert.Null(record.CallbackDueAt);
        Assert.Equal(_nadia.UserId, record.LockHolderId); // still on the call
        Assert.Equal(0, await CountAttemptsAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_CallBackExactlyAtTheLimits_Accepted()
    {
        var alice = await AddAsync("Archer");
        var bob = await AddAsync("Baker");

        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddMinutes(5));
        await RecordAsync(_nadia, bob.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddDays(90));

        Assert.Equal(2, await CountAttemptsAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_CallBackWithoutTime_Refused()
    {
        var alice = await AddAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome));

        Assert.Equal("Choose the date and time to call back.", ex.Message);
        Assert.Equal(0, await CountAttemptsAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_AnyOutcomeAfterCallBack_ClearsTheCallBack()
    {
        var alice = await AddAsync();
        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddHours(1));
        _db.Time.Advance(TimeSpan.FromHours(1));

        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.NoAnswerOutcome);

        var record = await _db.GetRecordAsync(alice.Id);
        Assert.Null(record.CallbackDueAt);
        Assert.Null(record.CallbackAgentName);
        Assert.Null(record.ReservedUntil);
        Assert.Equal(_db.Now, record.ChaseKey); // back to the bottom, like any other attempt
        Assert.Equal([alice.Id], await ListedAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_DeclinedWithNewReason_StoredLeavesListAndCancelsAutomaticMessages()
    {
        var alice = await AddAsync();
        var reason = await _db.Services.GetRequiredService<DeclineReasonService>().AddAsync(_nadia, "Moving abroad");
        var chaser = await QueueAsync(alice, triggered: true);
        var agentWritten = await QueueAsync(alice, triggered: false);

        var result = await RecordAsync(_nadia, alice.Id, DatabaseInitializer.DeclinedOutcome, Mobile, declineReasonId: reason.Id);

        Assert.True(result.LeftChaseList);
        Assert.Equal("Declined (Moving abroad) recorded; they are off the chase list. 1 queued message was cancelled.", result.Message);
        var attempt = await LastAttemptAsync();
        Assert.Equal(reason.Id, attempt.DeclineReasonId);
        Assert.Equal(OutcomeBehaviour.CustomerDeclined, attempt.Behaviour);
        var record = await _db.GetRecordAsync(alice.Id);
        Assert.Equal("Declined: Moving abroad", record.ChaseEndedReason);
        Assert.Equal(_db.Now, record.ChaseEndedAt);
        Assert.Empty(await ListedAsync());
        await using var db = _db.NewDbContext();
        var cancelled = await db.ScheduledMessages.SingleAsync(m => m.Id == chaser);
        Assert.Equal(MessageState.Cancelled, cancelled.State);
        Assert.Equal("customer declined", cancelled.SkipReason);
        Assert.Equal(MessageState.Scheduled, (await db.ScheduledMessages.SingleAsync(m => m.Id == agentWritten)).State);
    }

    private async Task<long> QueueAsync(SurveyRecord record, bool triggered)
    {
        await using var db = _db.NewDbContext();
        var template = await db.MessageTemplates.FirstAsync(t => t.Channel == MessageChannel.Sms);
        var message = new ScheduledMessage
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId, TemplateId = template.Id,
            Channel = MessageChannel.Sms, TriggerStatus = triggered ? record.Status : null,
            TriggerStatusChangedAt = triggered ? record.StatusChangedAt : null, CreatedAt = _db.Now, DueAt = _db.Now.AddHours(3),
            IdempotencyKey = $"test:{Guid.NewGuid():N}",
        };
        db.ScheduledMessages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    [Fact]
    public async Task RecordAttemptAsync_DeclinedWithNewReason_AppearsInTheDeclinedReport()
    {
        var alice = await AddAsync();
        var reason = await _db.Services.GetRequiredService<DeclineReasonService>().AddAsync(_nadia, "Moving abroad");

        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.DeclinedOutcome, Mobile, declineReasonId: reason.Id);

        var reports = new global::KonnectLive.Core.Reports.ReportsService(_db.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>());
        var supervisor = new UserScope("sup", "Sue Supervisor", _north.Id, false, [Roles.Supervisor]);
        var report = await reports.DeclinedAsync(supervisor, global::KonnectLive.Core.Reports.ReportRange.LastDays(1, _db.Time.GetUtcNow()));
        var row = Assert.Single(report.Rows);
        // An agent's new reason is a proposal until an admin approves it: counted at once, and marked.
        Assert.Equal(("Northgate Motors", "Moving abroad" + global::KonnectLive.Core.Reports.DeclinedReport.ProposedSuffix, 1),
            (row.Dealership, row.Reason, row.Count));
    }

    [Fact]
    public async Task RecordAttemptAsync_DeclinedWithoutReason_Refused()
    {
        var alice = await AddAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => RecordAsync(_nadia, alice.Id, DatabaseInitializer.DeclinedOutcome));

        Assert.Contains("Choose why the customer declined", ex.Message);
        Assert.Equal(0, await CountAttemptsAsync());
        Assert.Null((await _db.GetRecordAsync(alice.Id)).ChaseEndedAt);
    }

    [Fact]
    public async Task RecordAttemptAsync_DeclinedWithRetiredReason_Refused()
    {
        var alice = await AddAsync();
        await using (var db = _db.NewDbContext())
            await db.DeclineReasons.Where(r => r.Name == DatabaseInitializer.DefaultDeclineReasons[0])
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.IsActive, false));
        int retired;
        await using (var db = _db.NewDbContext())
            retired = await db.DeclineReasons.Where(r => !r.IsActive).Select(r => r.Id).SingleAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            RecordAsync(_nadia, alice.Id, DatabaseInitializer.DeclinedOutcome, declineReasonId: retired));

        Assert.Contains("no longer available", ex.Message);
        Assert.Equal(0, await CountAttemptsAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task RecordAttemptAsync_RequiresNoteWithoutNote_Refused(string? note)
    {
        await UpdateOutcomeAsync(DatabaseInitializer.NoAnswerOutcome, o => o.RequiresNote = true);
        var alice = await AddAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => RecordAsync(_nadia, alice.Id, DatabaseInitializer.NoAnswerOutcome, note: note));

        Assert.Equal("No answer needs a note.", ex.Message);
        Assert.Equal(0, await CountAttemptsAsync());
        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.NoAnswerOutcome, note: "Rang twice, no voicemail.");
        Assert.Equal("Rang twice, no voicemail.", (await LastAttemptAsync()).Note);
    }

    [Fact]
    public async Task RecordAttemptAsync_WrongNumberWithAnotherCallableNumber_MarksItAndStaysOnList()
    {
        var alice = await AddAsync();

        var result = await RecordAsync(_nadia, alice.Id, DatabaseInitializer.WrongNumberOutcome, Mobile);

        Assert.False(result.LeftChaseList);
        Assert.Equal("Wrong number: 07700 900123 will not be offered again; they stay on the chase list.", result.Message);
        Assert.Equal([alice.Id], await ListedAsync());
        await using var db = _db.NewDbContext();
        var phone = await db.CustomerPhones.SingleAsync(p => p.Number == Mobile);
        Assert.Equal((_db.Now, "Nadia North"), (phone.WrongNumberAt!.Value, phone.WrongNumberBy!));
        Assert.Empty(await db.ScheduledMessages.ToListAsync());
        var view = (await _db.Calling.GetViewAsync(_nadia, alice.Id))!;
        Assert.True(view.Phones.Single(p => p.Number == Mobile).WrongNumber);
        Assert.False(view.Phones.Single(p => p.Number == Mobile).IsCallable);
        Assert.True(view.Phones.Single(p => p.Number == Home).IsCallable);
        Assert.Null(view.Summary!.ChaseEndedAt);
    }

    [Fact]
    public async Task RecordAttemptAsync_WrongNumberWithoutTheNumber_Refused()
    {
        var alice = await AddAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => RecordAsync(_nadia, alice.Id, DatabaseInitializer.WrongNumberOutcome));

        Assert.Equal("Choose the number that was wrong.", ex.Message);
        Assert.Equal(0, await CountAttemptsAsync());
    }

    [Fact]
    public async Task RecordAttemptAsync_DiallingANumberAlreadyMarkedWrong_Refused()
    {
        var alice = await AddAsync();
        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.WrongNumberOutcome, Mobile);

        var ex = await Assert.ThrowsAsync<DomainException>(() => RecordAsync(_nadia, alice.Id, DatabaseInitializer.NoAnswerOutcome, Mobile));

        Assert.Contains("wrong number", ex.Message);
        Assert.Equal(1, await CountAttemptsAsync());
    }

    [Fact]
    public async Task GetViewAsync_AfterCallBackAndNote_SummarySaysWhereTheRecordStands()
    {
        var alice = await AddAsync();
        var due = _db.Now.AddHours(2);
        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.CallBackLaterOutcome, Mobile, callbackAt: due);
        var notes = _db.Services.GetRequiredService<CustomerNoteService>();
        await notes.AddAsync(_nadia, alice.CustomerId, "Prefers afternoons.");
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        await notes.AddAsync(_noah, alice.CustomerId, "Asked for Nadia by name.");

        var view = (await _db.Calling.GetViewAsync(_noah, alice.Id))!;

        var s = view.Summary!;
        Assert.Equal(1, s.AttemptCount);
        Assert.Equal(DatabaseInitializer.CallBackLaterOutcome, s.LastOutcome);
        Assert.Equal("Nadia North", s.LastOutcomeBy);
        Assert.Equal(CoreTestDatabase.Start.UtcDateTime, s.LastOutcomeAt);
        Assert.Equal(due, s.CallbackDueAt);
        Assert.Equal("Nadia North", s.CallbackAgentName);
        Assert.Equal(due.AddMinutes(60), s.ReservedUntil);
        Assert.Null(s.ChaseEndedAt);
        Assert.Equal(2, s.NoteCount);
        Assert.Equal("Asked for Nadia by name.", s.LatestNote);
        Assert.Equal("Noah Northcote", s.LatestNoteBy);
        Assert.Equal(_db.Now, s.LatestNoteAt);
        var callBack = view.Outcomes.Single(o => o.Name == DatabaseInitializer.CallBackLaterOutcome);
        Assert.Equal(OutcomeBehaviour.CallBackLater, callBack.Behaviour);
        Assert.Equal(OutcomeCategory.Contacted, callBack.Category);
        Assert.Equal(60, callBack.CallbackReserveMinutes);
    }

    [Fact]
    public async Task GetViewAsync_NoteWrittenWithTheCall_IsTheSummarysLatestNote()
    {
        var alice = await AddAsync();
        await _db.Services.GetRequiredService<CustomerNoteService>().AddAsync(_nadia, alice.CustomerId, "Prefers afternoons.");
        _db.Time.Advance(TimeSpan.FromMinutes(5));

        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.WillCompleteOutcome, Mobile, note: "Happy to do the survey tonight.");

        var s = (await _db.Calling.GetViewAsync(_noah, alice.Id))!.Summary!;
        Assert.Equal(2, s.NoteCount);
        Assert.Equal("Happy to do the survey tonight.", s.LatestNote);
        Assert.Equal("Nadia North", s.LatestNoteBy);
    }

    [Fact]
    public async Task GetViewAsync_NeverCalled_SummaryIsEmpty()
    {
        var alice = await AddAsync();

        var s = (await _db.Calling.GetViewAsync(_nadia, alice.Id))!.Summary!;

        Assert.Equal(0, s.AttemptCount);
        Assert.Null(s.LastOutcome);
        Assert.Equal(0, s.NoteCount);
        Assert.Null(s.LatestNote);
    }

    [Fact]
    public async Task AcquireAsync_RecordOffTheList_MayStillBeOpenedDirectly()
    {
        var alice = await AddAsync();
        await RecordAsync(_nadia, alice.Id, DatabaseInitializer.WillCompleteOutcome);

        // The customer rang back: an agent opens them from search, not from the list.
        Assert.Equal(LockOutcome.Acquired, (await _db.Locks.AcquireAsync(_noah, alice.Id, TestPage.Token)).Outcome);
    }
}
