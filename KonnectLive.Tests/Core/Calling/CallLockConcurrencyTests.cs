using KonnectLive.Core.Data;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;

namespace KonnectLive.Tests.Core;

/// <summary>Races on a real SQLite file: the database, not the app, must decide who wins.</summary>
public class CallLockConcurrencyTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="CallLockConcurrencyTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        _north = await _db.AddDealershipAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task AcquireAsync_FiftyAgentsRaceForOneRecord_ExactlyOneWins()
    {
        const int agents = 50;
        for (var round = 1; round <= 5; round++)
        {
            var record = await _db.AddAwaitingRecordAsync(_north.Id, "Race", $"Round{round}");
            var scopes = Enumerable.Range(1, agents).Select(i => CoreTestDatabase.Agent($"Agent {round}.{i}", _north.Id)).ToList();
            _db.ClearEvents();

            var results = await RaceAsync(scopes.Select(agent => (Func<Task<(UserScope Agent, LockResult Result)>>)(
                async () => (agent, await _db.Locks.AcquireAsync(agent, record.Id, TestPage.Token)))).ToList());

            var winner = Assert.Single(results, r => r.Result.Outcome == LockOutcome.Acquired);
            var losers = results.Where(r => r.Result.Outcome != LockOutcome.Acquired).ToList();
            Assert.Equal(agents - 1, losers.Count);
            Assert.All(losers, r =>
            {
                Assert.Equal(LockOutcome.HeldByOther, r.Result.Outcome);
                Assert.Equal($"Race Round{round} is being called by {winner.Agent.DisplayName}", r.Result.Message);
            });
            var stored = await _db.GetRecordAsync(record.Id);
            Assert.Equal(winner.Agent.UserId, stored.LockHolderId);
            Assert.Equal(winner.Agent.DisplayName, stored.LockHolderName);
            var taken = Assert.Single(_db.Events, e => e.Kind == LiveEventKind.LockTaken);
            Assert.Equal(winner.Agent.UserId, taken.AgentId);
        }
    }

    [Fact]
    public async Task AcquireAsync_OneAgentOpensTenRecordsAtOnce_HoldsExactlyOne()
    {
        for (var round = 1; round <= 3; round++)
        {
            var records = new List<int>();
            for (var i = 0; i < 10; i++)
                records.Add((await _db.AddAwaitingRecordAsync(_north.Id, "Tab", $"R{round}N{i}")).Id);
            var agent = CoreTestDatabase.Agent($"Many Tabs {round}", _north.Id);

            var results = await RaceAsync(records.Select(id => (Func<Task<(int RecordId, LockResult Result)>>)(
                async () => (id, await _db.Locks.AcquireAsync(agent, id, TestPage.Token)))).ToList());

            var won = Assert.Single(results, r => r.Result.Outcome == LockOutcome.Acquired);
            Assert.All(results.Where(r => r.RecordId != won.RecordId),
                r => Assert.NotEqual(LockOutcome.Acquired, r.Result.Outcome));
            await using var db = _db.NewDbContext();
            var held = db.SurveyRecords.Where(r => r.LockHolderId == agent.UserId).Select(r => r.Id).ToList();
            Assert.Equal([won.RecordId], held);
        }
    }

    /// <summary>Starts every call on its own thread and lets them go at the same moment.</summary>
    private static async Task<T[]> RaceAsync<T>(IReadOnlyList<Func<Task<T>>> calls)
    {
        using var barrier = new Barrier(calls.Count);
        var tasks = calls.Select(call => Task.Factory.StartNew(() =>
        {
            barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            return call();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToList();
        return await Task.WhenAll(tasks);
    }
}

public sealed class CallLockConcurrencyTestsOnPostgreSql : CallLockConcurrencyTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
