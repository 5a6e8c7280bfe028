using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core;

/// <summary>
/// Nothing an agent did is lost: a call made while the page lost its lock (a supervisor's force release, FOCUS closing
/// the survey, another agent taking the customer) is recorded and counted; only the outcome's effect on the chase list
/// waits on the lock, and another agent's lock is never touched.
/// </summary>
public sealed class RecordAfterLockLossTests : IAsyncLifetime
{
    private const string Mobile = "+447700900123";
    private const string Page = "nadias-page";

    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private UserScope _nadia = null!;
    private UserScope _noah = null!;
    private static readonly UserScope Sasha = new("sasha", "Sasha Supervisor", null, false, [Roles.Supervisor]);

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
        _noah = CoreTestDatabase.Agent("Noah Northcote", _north.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<int> HeldByNadiaAsync()
    {
        var id = (await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer", email: "alice@example.com", phones: [Mobile])).Id;
        Assert.True((await _db.Locks.AcquireAsync(_nadia, id, Page)).Succeeded);
        return id;
    }

    private async Task ForceReleaseAsync(int recordId) =>
        Assert.True((await _db.Services.GetRequiredService<ForceReleaseService>().ForceReleaseAsync(Sasha, recordId, "complaint call")).Succeeded);

    private async Task<AttemptResult> RecordAsync(int recordId, string outcome, string? note = null, string? number = null, int? declineReasonId = null) =>
        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(outcome), number, _db.Now, note,
            DeclineReasonId: declineReasonId, PageToken: Page));

    private async Task<CallAttempt> OnlyAttemptAsync(int recordId)
    {
        await using var db = _db.NewDbContext();
        return await db.CallAttempts.AsNoTracking().SingleAsync(a => a.SurveyRecordId == recordId);
    }

    private ReportsService Reports => new(_db.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>());

    private static ReportRange Today(DateTime now) => ReportRange.LastDays(1, new DateTimeOffset(now));

    [Fact]
    public async Task RecordAttemptAsync_AfterForceReleaseNobodyElseHasIt_RecordedWithTheOutcomesEffect()
    {
        var id = await HeldByNadiaAsync();
        await ForceReleaseAsync(id);

        var result = await RecordAsync(id, DatabaseInitializer.WillCompleteOutcome, "Will do it tonight");

        Assert.True(result.ChaseUpdated);
        Assert.Equal("Spoke – will complete survey recorded; they are off the chase list.", result.Message);
        var record = await _db.GetRecordAsync(id);
        Assert.Equal(1, record.AttemptCount);
        Assert.NotNull(record.ChaseEndedAt);
        Assert.Equal("Will do it tonight", (await OnlyAttemptAsync(id)).Note);
    }

    [Fact]
    public async Task RecordAttemptAsync_AfterForceReleaseAndAnotherAgentOpenedIt_RecordedEffectWithheldTheirLockUntouched()
    {
        var id = await HeldByNadiaAsync();
        await ForceReleaseAsync(id);
        Assert.True((await _db.Locks.AcquireAsync(_noah, id, "noahs-page")).Succeeded);
        var before = await _db.GetRecordAsync(id);

        var result = await RecordAsync(id, DatabaseInitializer.WillCompleteOutcome, "Said yes before the release");

        Assert.False(result.ChaseUpdated);
        Assert.Equal("Spoke – will complete survey recorded. Noah Northcote has the customer open now, so the chase list is left to their call.",
            result.Message);
        var after = await _db.GetRecordAsync(id);
        Assert.Equal(1, after.AttemptCount);
        Assert.Null(after.ChaseEndedAt);
        Assert.Equal((_noah.UserId, "noahs-page", before.LockExpiresAt), (after.LockHolderId, after.LockToken, after.LockExpiresAt));
        Assert.Equal("Said yes before the release", (await OnlyAttemptAsync(id)).Note);
    }

    [Fact]
    public async Task RecordAttemptAsync_AfterFocusCompletedTheSurvey_RecordedCountedAndTheListLeftAsFocusSaid()
    {
        var id = await HeldByNadiaAsync();
        await _db.ChangeStatusAsync(id, SurveyStatus.Completed);

        var result = await RecordAsync(id, DatabaseInitializer.NoAnswerOutcome, "Rang twice");

        Assert.False(result.ChaseUpdated);
        Assert.Equal("No answer recorded. The survey was completed in FOCUS, so the customer stays off the chase list.", result.Message);
        var record = await _db.GetRecordAsync(id);
        Assert.Equal((1, _db.Now), (record.AttemptCount, record.LastAttemptAt));
        Assert.Equal(SurveyRecord.NeverAttemptedKey, record.ChaseKey); // no effect: the chase key is not moved
        Assert.Null(record.LockHolderId); // this page's lease is given back with the call
        var attempt = await OnlyAttemptAsync(id);
        Assert.Equal(("Rang twice", _nadia.UserId), (attempt.Note, attempt.AgentId));

        var report = await Reports.OutcomesAsync(Sasha, Today(_db.Now));
        Assert.Equal(1, Assert.Single(report.ByOutcome, o => o.Name == DatabaseInitializer.NoAnswerOutcome).Count);
        Assert.Equal(1, Assert.Single(report.ByAgent, a => a.Name == "Nadia North").Count);
    }

    [Fact]
    public async Task RecordAttemptAsync_DeclinedAfterFocusExpiredTheSurvey_TheReasonIsKeptForTheDeclinedReport()
    {
        var id = await HeldByNadiaAsync();
        await _db.ChangeStatusAsync(id, SurveyStatus.Expired);
        int reasonId;
        await using (var db = _db.NewDbContext()) reasonId = await db.DeclineReasons.Where(r => r.Name == "No time").Select(r => r.Id).SingleAsync();

        var result = await RecordAsync(id, DatabaseInitializer.DeclinedOutcome, declineReasonId: reasonId);

        Assert.Equal("Spoke – declined recorded. FOCUS closed the survey (Expired), so the customer stays off the chase list.", result.Message);
        Assert.Equal(reasonId, (await OnlyAttemptAsync(id)).DeclineReasonId);
        var declined = await Reports.DeclinedAsync(Sasha, Today(_db.Now));
        Assert.Equal(("No time", 1), (Assert.Single(declined.ByReason).Name, declined.ByReason[0].Count));
    }

    [Fact]
    public async Task RecordAttemptAsync_WrongNumberAfterFocusClosed_NumberMarkedButNoFollowUpQueued()
    {
        var id = await HeldByNadiaAsync();
        await _db.ChangeStatusAsync(id, SurveyStatus.Rejected);

        var result = await RecordAsync(id, DatabaseInitializer.WrongNumberOutcome, number: Mobile);

        Assert.Equal("Wrong number recorded: 07700 900123 will not be offered again. FOCUS closed the survey (Rejected), so the customer " +
                     "stays off the chase list. No follow-up message was queued.", result.Message);
        await using var db = _db.NewDbContext();
        Assert.NotNull((await db.CustomerPhones.SingleAsync(p => p.Number == Mobile)).WrongNumberAt);
        Assert.False(await db.ScheduledMessages.AnyAsync(m => m.SurveyRecordId == id && m.State == MessageState.Scheduled));
    }

    [Fact]
    public async Task RecordAttemptAsync_LeaseLapsedAndNobodyTookIt_RecordedWithItsEffectAndTheLeaseCleared()
    {
        var id = await HeldByNadiaAsync();
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds + 30)); // the browser dropped for a while

        var result = await RecordAsync(id, DatabaseInitializer.VoicemailOutcome);

        Assert.True(result.ChaseUpdated);
        var record = await _db.GetRecordAsync(id);
        Assert.Equal((_db.Now, (string?)null), (record.ChaseKey, record.LockHolderId));
    }

    [Fact]
    public async Task RecordAttemptAsync_TheAgentsOtherTabHoldsIt_RefusedSoOneCallIsNeverRecordedTwice()
    {
        var id = await HeldByNadiaAsync();
        await _db.Locks.TakeOverAsync(_nadia, id, "second-tab");

        var ex = await Assert.ThrowsAsync<DomainException>(() => RecordAsync(id, DatabaseInitializer.NoAnswerOutcome));

        Assert.Contains("open in another tab", ex.Message);
        Assert.Equal(0, (await _db.GetRecordAsync(id)).AttemptCount);
        Assert.Equal("second-tab", (await _db.GetRecordAsync(id)).LockToken);
    }
}
