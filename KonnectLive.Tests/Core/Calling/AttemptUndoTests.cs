using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core;

/// <summary>
/// Undo the last outcome (AttemptUndoService) on a real SQLite file and a FakeTimeProvider: who may, for how long, what is put
/// back, and the refusals when something newer happened to the customer.
/// </summary>
public sealed class AttemptUndoTests : IAsyncLifetime
{
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

    private AttemptUndoService Undo => _db.Services.GetRequiredService<AttemptUndoService>();

    private async Task<int> AddAsync(string lastName = "Ayres", params string[] phones) =>
        (await _db.AddAwaitingRecordAsync(_north.Id, "Test", lastName, phones: phones.Length == 0 ? ["+441614960001"] : phones)).Id;

    private async Task<AttemptResult> RecordAsync(UserScope agent, int recordId, string outcome, DateTime? callbackAt = null,
        int? declineReasonId = null, string? number = null) =>
        await _db.Calling.RecordAttemptAsync(agent, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(outcome), number, _db.Now,
            "note", callbackAt, declineReasonId));

    [Fact]
    public async Task UndoAsync_CallBackBooked_PutsTheRecordBackAsItWasAndMarksTheAttemptUndone()
    {
        var a = await AddAsync();
        var before = await _db.GetRecordAsync(a);
        var booked = await RecordAsync(_nadia, a, DatabaseInitializer.CallBackLaterOutcome, _db.Now.AddHours(2));
        _db.Time.Advance(TimeSpan.FromMinutes(2));

        var result = await Undo.UndoAsync(_nadia, booked.AttemptId);

        Assert.Equal(CommandOutcome.Done, result.Outcome);
        Assert.Equal("Call back later for Test Ayres undone: Test Ayres is back as before the call (0 attempts).", result.Message);
        var after = await _db.GetRecordAsync(a);
        Assert.Equal((before.ChaseKey, before.AttemptCount, before.LastAttemptAt), (after.ChaseKey, after.AttemptCount, after.LastAttemptAt));
        Assert.Equal((null, null, null), (after.CallbackDueAt, after.CallbackAgentId, after.ReservedUntil));
        await using var db = _db.NewDbContext();
        var attempt = await db.CallAttempts.SingleAsync(x => x.Id == booked.AttemptId);
        Assert.Equal((_db.Now, "Nadia North"), (attempt.UndoneAt, attempt.UndoneBy));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AttemptUndoService.UndoneAction && e.EntityId == booked.AttemptId.ToString()));
        Assert.Contains(_db.Events, e => e.Kind == KonnectLive.Core.Live.LiveEventKind.RecordChanged && e.RecordId == a);
    }

    [Fact]
    public async Task UndoAsync_EndedChase_PutsTheCustomerBackOnTheChaseList()
    {
        var a = await AddAsync();
        var spoke = await RecordAsync(_nadia, a, DatabaseInitializer.WillCompleteOutcome);
        Assert.Equal(0, (await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 10))).Total);

        Assert.True((await Undo.UndoAsync(_nadia, spoke.AttemptId)).Succeeded);

        var page = await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 10));
        Assert.Equal([a], page.Rows.Select(r => r.RecordId));
        Assert.Null((await _db.GetRecordAsync(a)).ChaseEndedAt);
    }

    [Fact]
    public async Task UndoAsync_WrongNumber_OffersTheNumberAgain()
    {
        var a = await AddAsync("Ayres", "+441614960001", "+441614960002");
        var wrong = await RecordAsync(_nadia, a, DatabaseInitializer.WrongNumberOutcome, number: "+441614960001");

        Assert.True((await Undo.UndoAsync(_nadia, wrong.AttemptId)).Succeeded);

        await using var db = _db.NewDbContext();
        var customerId = (await _db.GetRecordAsync(a)).CustomerId;
        Assert.All(await db.CustomerPhones.AsNoTracking().Where(p => p.CustomerId == customerId).ToListAsync(), p => Assert.Null(p.WrongNumberAt));
    }

    [Fact]
    public async Task UndoAsync_AfterTheWindow_RefusesWithTheWindowInWords()
    {
        var a = await AddAsync();
        var call = await RecordAsync(_nadia, a, DatabaseInitializer.NoAnswerOutcome);
        _db.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var result = await Undo.UndoAsync(_nadia, call.AttemptId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.StartsWith("No answer for Test Ayres can no longer be undone: a call can be undone for 5 minutes after recording it", result.Message);
        Assert.Equal(1, (await _db.GetRecordAsync(a)).AttemptCount);
    }

    [Fact]
    public async Task UndoAsync_WindowFromTheSetting_ZeroTurnsUndoOff()
    {
        var a = await AddAsync();
        var call = await RecordAsync(_nadia, a, DatabaseInitializer.NoAnswerOutcome);
        await using (var db = _db.NewDbContext())
            await db.CsiSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.UndoMinutes, 0));

        var result = await Undo.UndoAsync(_nadia, call.AttemptId);

        Assert.Equal((CommandOutcome.Refused, "Undo is turned off (CSI Undo Outcome Minutes is 0)."), (result.Outcome, result.Message));
    }

    [Fact]
    public async Task UndoAsync_AnotherAgent_IsRefusedButASupervisorMay()
    {
        var a = await AddAsync();
        var call = await RecordAsync(_nadia, a, DatabaseInitializer.NoAnswerOutcome);

        var byNoah = await Undo.UndoAsync(_noah, call.AttemptId);
        var supervisor = new UserScope("sup-1", "Sue Pervis", _north.Id, true, [Roles.Supervisor]);
        var bySupervisor = await Undo.UndoAsync(supervisor, call.AttemptId);

        Assert.Equal((CommandOutcome.Forbidden, "Only Nadia North, who recorded No answer for Test Ayres, or a supervisor can undo it."),
            (byNoah.Outcome, byNoah.Message));
        Assert.Equal(CommandOutcome.Done, bySupervisor.Outcome);
    }

    [Fact]
    public async Task UndoAsync_NewerCallRecordedSince_Refuses()
    {
        var a = await AddAsync();
        var first = await RecordAsync(_nadia, a, DatabaseInitializer.NoAnswerOutcome);
        await RecordAsync(_noah, a, DatabaseInitializer.VoicemailOutcome);

        var result = await Undo.UndoAsync(_nadia, first.AttemptId);

        Assert.Equal((CommandOutcome.Refused, "A newer call was recorded for Test Ayres since, so No answer cannot be undone."), (result.Outcome, result.Message));
        Assert.Equal(2, (await _db.GetRecordAsync(a)).AttemptCount);
    }

    [Fact]
    public async Task UndoAsync_FocusChangedTheStatusSince_Refuses()
    {
        var a = await AddAsync();
        var call = await RecordAsync(_nadia, a, DatabaseInitializer.NoAnswerOutcome);
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        await _db.ChangeStatusAsync(a, SurveyStatus.Completed);

        var result = await Undo.UndoAsync(_nadia, call.AttemptId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Contains("has changed since No answer was recorded", result.Message);
    }

    [Fact]
    public async Task UndoAsync_AnotherAgentHasTheCustomerOpen_Refuses()
    {
        var a = await AddAsync();
        var call = await RecordAsync(_nadia, a, DatabaseInitializer.NoAnswerOutcome);
        await _db.Locks.AcquireAsync(_noah, a, "noahs-page");

        var result = await Undo.UndoAsync(_nadia, call.AttemptId);

        Assert.Equal((CommandOutcome.Refused, "Noah Northcote has Test Ayres open now, so No answer cannot be undone."), (result.Outcome, result.Message));
    }

    [Fact]
    public async Task UndoAsync_Twice_SaysItWasAlreadyUndone()
    {
        var a = await AddAsync();
        var call = await RecordAsync(_nadia, a, DatabaseInitializer.NoAnswerOutcome);
        await Undo.UndoAsync(_nadia, call.AttemptId);

        var again = await Undo.UndoAsync(_nadia, call.AttemptId);

        Assert.Equal((CommandOutcome.Unchanged, "No answer for Test Ayres was already undone by Nadia North."), (again.Outcome, again.Message));
    }

    [Fact]
    public async Task UndoAsync_ReportsStopCountingTheCall()
    {
        var a = await AddAsync();
        var call = await RecordAsync(_nadia, a, DatabaseInitializer.NoAnswerOutcome);
        var reports = _db.Services.GetRequiredService<ReportsService>();
        var admin = new UserScope("admin-1", "Ada Admin", null, true, [Roles.Admin]);
        var today = ReportRange.LastDays(1, _db.Time.GetUtcNow());
        Assert.Equal(1, (await reports.OutcomesAsync(admin, today)).Rows.Sum(r => r.Count));

        await Undo.UndoAsync(_nadia, call.AttemptId);

        Assert.Equal(0, (await reports.OutcomesAsync(admin, today)).Rows.Sum(r => r.Count));
    }
}
