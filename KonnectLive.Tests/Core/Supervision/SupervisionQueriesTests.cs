using KonnectLive.Core.Calling;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Supervision;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Supervision;

public sealed class SupervisionQueriesTests : IAsyncLifetime
{
    // 01:30 in London (BST): today in London began at 23:00 UTC the day before, so UTC midnight is the wrong boundary.
    private static readonly DateTimeOffset SummerNight = new(2026, 6, 15, 0, 30, 0, TimeSpan.Zero);

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

    private CallsInProgressQuery Calls => _db.Services.GetRequiredService<CallsInProgressQuery>();
    private TodayFiguresQuery Figures => _db.Services.GetRequiredService<TodayFiguresQuery>();

    private static UserScope Supervisor(int? dealershipId) =>
        new($"user-{Guid.NewGuid():N}", "Sasha Supervisor", dealershipId, false, [Roles.Supervisor]);

    [Fact]
    public async Task CallsInProgress_HeldLocks_ListsUnexpiredOnesWithAgentCustomerDealershipAndStart()
    {
        var alice = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer", title: "Mrs");
        var bob = await _db.AddAwaitingRecordAsync(_north.Id, "Bob", "Baker");
        var free = await _db.AddAwaitingRecordAsync(_north.Id, "Cara", "Cole");
        var started = _db.Now;
        await _db.Locks.AcquireAsync(_nadia, alice.Id, TestPage.Token);
        _db.Time.Advance(TimeSpan.FromSeconds(30));
        await _db.Locks.AcquireAsync(_noah, bob.Id, TestPage.Token);
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds - 10)); // Nadia's lease has run out, Noah's has not

        var calls = await Calls.GetAsync(Supervisor(_north.Id));

        var call = Assert.Single(calls);
        Assert.Equal(bob.Id, call.RecordId);
        Assert.Equal("Bob Baker", call.CustomerName);
        Assert.Equal("Noah Northcote", call.AgentName);
        Assert.Equal(_noah.UserId, call.AgentId);
        Assert.Equal("Northgate Motors", call.DealershipName);
        Assert.Equal(started.AddSeconds(30), call.StartedAt);
        Assert.DoesNotContain(calls, c => c.RecordId == free.Id);
    }

    [Fact]
    public async Task CallsInProgress_DealershipSupervisor_SeesOnlyOwnDealership_HeadOfficeSeesAll()
    {
        var north = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer");
        var south = await _db.AddAwaitingRecordAsync(_south.Id, "Sid", "Smith");
        await _db.Locks.AcquireAsync(_nadia, north.Id, TestPage.Token);
        await _db.Locks.AcquireAsync(_sam, south.Id, TestPage.Token);

        var own = await Calls.GetAsync(Supervisor(_north.Id));
        var all = await Calls.GetAsync(Supervisor(null));

        Assert.Equal(new[] { north.Id }, own.Select(c => c.RecordId));
        Assert.Equal(new[] { north.Id, south.Id }, all.Select(c => c.RecordId).Order());
    }

    [Fact]
    public async Task Queries_Agent_AreRefused()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Calls.GetAsync(_nadia));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Figures.GetAsync(_nadia));
    }

    private async Task<(int North1, int North2, int South1)> SeedTodayAsync()
    {
        _db.Time.SetUtcNow(SummerNight);
        var north1 = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer");
        var north2 = await _db.AddAwaitingRecordAsync(_north.Id, "Bob", "Baker");
        var north3 = await _db.AddAwaitingRecordAsync(_north.Id, "Cara", "Cole");
        await _db.ChangeStatusAsync(north3.Id, SurveyStatus.Completed);
        var south1 = await _db.AddAwaitingRecordAsync(_south.Id, "Sid", "Smith");
        var noAnswer = await _db.OutcomeIdAsync("No answer");
        var voicemail = await _db.OutcomeIdAsync("Voicemail");

        await using var db = _db.NewDbContext();
        void Attempt(SurveyRecord r, UserScope agent, int outcomeId, DateTime at) => db.CallAttempts.Add(new CallAttempt
        {
            SurveyRecordId = r.Id, CustomerId = r.CustomerId, DealershipId = r.DealershipId, AgentId = agent.UserId,
            AgentName = agent.DisplayName, OutcomeId = outcomeId, StartedAt = at.AddMinutes(-2), RecordedAt = at,
        });
        var utc = SummerNight.UtcDateTime;
        Attempt(north1, _nadia, noAnswer, new DateTime(2026, 6, 14, 23, 10, 0, DateTimeKind.Utc)); // 00:10 in London: today
        Attempt(north2, _nadia, voicemail, utc.AddMinutes(-10));
        Attempt(north1, _noah, noAnswer, utc.AddMinutes(-5));
        Attempt(north2, _nadia, noAnswer, new DateTime(2026, 6, 14, 22, 50, 0, DateTimeKind.Utc)); // 23:50 yesterday in London
        Attempt(south1, _sam, noAnswer, utc.AddMinutes(-15)); // another dealership
        await db.SaveChangesAsync();
        return (north1.Id, north2.Id, south1.Id);
    }

    [Fact]
    public async Task TodayFigures_DealershipSupervisor_CountsTodayInLondonForOwnDealershipOnly()
    {
        await SeedTodayAsync();

        var today = await Figures.GetAsync(Supervisor(_north.Id));

        Assert.Equal(new DateOnly(2026, 6, 15), today.Day);
        Assert.Equal(new DateTime(2026, 6, 14, 23, 0, 0, DateTimeKind.Utc), today.From);
        Assert.Equal(3, today.TotalAttempts);
        Assert.Equal(new[] { ("Nadia North", 2), ("Noah Northcote", 1) }, today.ByAgent.Select(a => (a.AgentName, a.Attempts)));
        Assert.Equal(new[] { ("No answer", 2), ("Voicemail", 1) }, today.ByOutcome.Select(o => (o.Outcome, o.Attempts)));
        var north = Assert.Single(today.ByDealership);
        Assert.Equal("Northgate Motors", north.DealershipName);
        Assert.Equal(2, north.Count(SurveyStatus.Awaiting));
        Assert.Equal(1, north.Count(SurveyStatus.Completed));
        Assert.Equal(0, north.Count(SurveyStatus.Pending));
        Assert.Equal(3, north.Total);
        Assert.DoesNotContain(today.ByAgent, a => a.AgentName == "Sam Southall");
    }

    [Fact]
    public async Task TodayFigures_HeadOffice_CountsEveryDealership()
    {
        await SeedTodayAsync();

        var today = await Figures.GetAsync(Supervisor(null));

        Assert.Equal(4, today.TotalAttempts);
        Assert.Equal(new[] { ("Nadia North", 2), ("Noah Northcote", 1), ("Sam Southall", 1) }, today.ByAgent.Select(a => (a.AgentName, a.Attempts)));
        Assert.Equal(new[] { ("No answer", 3), ("Voicemail", 1) }, today.ByOutcome.Select(o => (o.Outcome, o.Attempts)));
        Assert.Equal(new[] { "Northgate Motors", "Southbank Cars" }, today.ByDealership.Select(d => d.DealershipName));
        Assert.Equal(1, today.ByDealership[1].Count(SurveyStatus.Awaiting));
    }

    [Theory]
    [InlineData("2026-01-15T23:59:00Z", "2026-01-15", "2026-01-15T00:00:00Z", "2026-01-16T00:00:00Z")] // GMT: London is UTC
    [InlineData("2026-06-14T23:00:00Z", "2026-06-15", "2026-06-14T23:00:00Z", "2026-06-15T23:00:00Z")] // BST midnight
    [InlineData("2026-03-29T12:00:00Z", "2026-03-29", "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z")] // clocks go forward: 23 hours
    public void Today_LondonDay_HasUtcBounds(string now, string day, string from, string until)
    {
        var (d, f, u) = TodayFiguresQuery.Today(DateTimeOffset.Parse(now));

        Assert.Equal(DateOnly.Parse(day), d);
        Assert.Equal(DateTime.Parse(from).ToUniversalTime(), f);
        Assert.Equal(DateTime.Parse(until).ToUniversalTime(), u);
    }
}
