using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Calling;

/// <summary>My call-backs: the call-backs an agent booked, theirs only, within their dealership, while still pending.</summary>
public sealed class MyCallbacksQueryTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private Dealership _south = null!;
    private UserScope _nadia = null!;
    private UserScope _noah = null!;
    private UserScope _sam = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _south = await _db.AddDealershipAsync("Southbank Cars");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
        _noah = CoreTestDatabase.Agent("Noah Northcote", _north.Id);
        _sam = CoreTestDatabase.Agent("Sam Southall", _south.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private MyCallbacksQuery Query => _db.Services.GetRequiredService<MyCallbacksQuery>();

    private async Task<SurveyRecord> AddAsync(Dealership dealership, string lastName) =>
        await _db.AddAwaitingRecordAsync(dealership.Id, "Anna", lastName, phones: "+447700900123");

    private async Task BookAsync(UserScope agent, int recordId, TimeSpan inFuture, bool reserve = true, string? note = null) =>
        await _db.Calling.RecordAttemptAsync(agent, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(DatabaseInitializer.CallBackLaterOutcome),
            null, _db.Now, note, _db.Now + inFuture, ReserveCallback: reserve));

    private async Task RecordAsync(UserScope agent, int recordId, string outcome) =>
        await _db.Calling.RecordAttemptAsync(agent, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(outcome), null, _db.Now, null));

    [Fact]
    public async Task ListAsync_CallbacksIBooked_EarliestFirstWithReservationAndNote()
    {
        var later = await AddAsync(_north, "Later");
        var sooner = await AddAsync(_north, "Sooner");
        await BookAsync(_nadia, later.Id, TimeSpan.FromHours(3), reserve: true, note: "After work");
        await BookAsync(_nadia, sooner.Id, TimeSpan.FromHours(1), reserve: false);

        var rows = await Query.ListAsync(_nadia);

        Assert.Equal([sooner.Id, later.Id], rows.Select(r => r.RecordId));
        Assert.Equal(("Anna Sooner", "Northgate Motors", _db.Now.AddHours(1), (DateTime?)null),
            (rows[0].CustomerName, rows[0].DealershipName, rows[0].DueAt, rows[0].ReservedUntil));
        Assert.Equal((_db.Now.AddHours(3), (DateTime?)_db.Now.AddHours(4), "After work"), (rows[1].DueAt, rows[1].ReservedUntil, rows[1].Note));
        Assert.All(rows, r => Assert.Equal(CallbackStatus.NotYetDue, r.StatusAt(_db.Now)));
    }

    [Fact]
    public async Task ListAsync_AnotherAgentsOrAnotherDealershipsCallbacks_NeverListed()
    {
        var mine = await AddAsync(_north, "Mine");
        var noahs = await AddAsync(_north, "Noahs");
        var sams = await AddAsync(_south, "Sams");
        await BookAsync(_nadia, mine.Id, TimeSpan.FromHours(1), reserve: false);
        await BookAsync(_noah, noahs.Id, TimeSpan.FromHours(1), reserve: false); // unreserved: the record keeps no agent id, only the name
        await BookAsync(_sam, sams.Id, TimeSpan.FromHours(1));

        Assert.Equal([mine.Id], (await Query.ListAsync(_nadia)).Select(r => r.RecordId));
        Assert.Equal([noahs.Id], (await Query.ListAsync(_noah)).Select(r => r.RecordId));
        Assert.Equal([sams.Id], (await Query.ListAsync(_sam)).Select(r => r.RecordId));
        // Nadia moved to Southbank: her Northgate call-backs are not hers to see any more.
        Assert.Empty(await Query.ListAsync(_nadia with { DealershipId = _south.Id }));
        // Someone else with Nadia's name is someone else.
        Assert.Empty(await Query.ListAsync(CoreTestDatabase.Agent("Nadia North", _north.Id)));
        // Not enabled for CSI Voice: no call-backs at all.
        Assert.Empty(await Query.ListAsync(_nadia with { CsiVoiceEnabled = false }));
    }

    [Fact]
    public async Task ListAsync_HeadOfficeAgent_SeesTheirCallbacksInEveryDealership()
    {
        var harper = CoreTestDatabase.Agent("Harper Office", null);
        var north = await AddAsync(_north, "North");
        var south = await AddAsync(_south, "South");
        await BookAsync(harper, south.Id, TimeSpan.FromHours(2));
        await BookAsync(harper, north.Id, TimeSpan.FromHours(1));

        Assert.Equal([north.Id, south.Id], (await Query.ListAsync(harper)).Select(r => r.RecordId));
    }

    [Fact]
    public async Task ListAsync_LaterOutcomeDeclineOrClosedSurvey_NoLongerListed()
    {
        var called = await AddAsync(_north, "Called");
        var closed = await AddAsync(_north, "Closed");
        var kept = await AddAsync(_north, "Kept");
        foreach (var r in new[] { called, closed, kept }) await BookAsync(_nadia, r.Id, TimeSpan.FromHours(1));

        _db.Time.Advance(TimeSpan.FromHours(2)); // due, and the reservation has lapsed: Noah takes one
        await RecordAsync(_noah, called.Id, DatabaseInitializer.NoAnswerOutcome);
        await _db.ChangeStatusAsync(closed.Id, SurveyStatus.Completed);

        Assert.Equal([kept.Id], (await Query.ListAsync(_nadia)).Select(r => r.RecordId));
        Assert.Empty(await Query.ListAsync(_noah));
    }

    [Fact]
    public async Task ListAsync_RebookedByMe_ShowsTheNewTime()
    {
        var anna = await AddAsync(_north, "Again");
        await BookAsync(_nadia, anna.Id, TimeSpan.FromHours(1));
        _db.Time.Advance(TimeSpan.FromMinutes(70));
        await BookAsync(_nadia, anna.Id, TimeSpan.FromDays(1), reserve: false);

        var row = Assert.Single(await Query.ListAsync(_nadia));
        Assert.Equal((_db.Now.AddDays(1), (DateTime?)null), (row.DueAt, row.ReservedUntil));
    }

    [Fact]
    public async Task ListAsync_OpenedByAnotherAgentAfterTheReservation_SaysWhoHasIt()
    {
        var anna = await AddAsync(_north, "Open");
        await BookAsync(_nadia, anna.Id, TimeSpan.FromHours(1));
        _db.Time.Advance(TimeSpan.FromHours(2.5)); // due for 1.5 h, reserved for 1 h of it
        Assert.Equal(LockOutcome.Acquired, (await _db.Locks.AcquireAsync(_noah, anna.Id, "noahs-page")).Outcome);

        var row = Assert.Single(await Query.ListAsync(_nadia));
        Assert.Equal((_noah.UserId, "Noah Northcote"), (row.LockHolderId, row.LockHolderName));
        Assert.Equal(CallbackStatus.Overdue, row.StatusAt(_db.Now));
    }

    [Theory]
    [InlineData(-1, null, CallbackStatus.NotYetDue)]
    [InlineData(0, null, CallbackStatus.Due)]
    [InlineData(29, null, CallbackStatus.Due)]
    [InlineData(30, null, CallbackStatus.Overdue)]
    [InlineData(59, 60, CallbackStatus.Due)] // reserved: due until the reservation lapses
    [InlineData(60, 60, CallbackStatus.Overdue)]
    public void StatusAt_MinutesPastDue_DueThenOverdue(int minutesPastDue, int? reservedMinutes, CallbackStatus expected)
    {
        var due = new DateTime(2026, 3, 2, 14, 30, 0, DateTimeKind.Utc);
        DateTime? reservedUntil = reservedMinutes is { } m ? due.AddMinutes(m) : null;
        var row = new MyCallbackRow(1, 1, "Anna", 1, "Northgate Motors", null, due, reservedUntil, due.AddDays(-1), null, null, null);

        Assert.Equal(expected, row.StatusAt(due.AddMinutes(minutesPastDue)));
    }
}
