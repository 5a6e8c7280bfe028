using System.Collections.Concurrent;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Users;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KonnectLive.Tests.Core;

/// <summary>
/// On SQLite the lock writes waiting together commit in one transaction (<see cref="LockWriteGate"/>). These races run on a
/// real SQLite file and check, from the database itself, that grouping never changes anyone's answer: one holder per
/// customer at every moment of the audit log, and every caller's answer matching what the log says happened.
/// </summary>
public sealed class LockGroupCommitTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Locks_SixtyFourAgentsClaimRenewReleaseTwentyCustomersWithSweeps_OneHolderAtATimeAndAnswersMatchTheAuditLog()
    {
        var records = new List<int>();
        for (var i = 0; i < 20; i++) records.Add((await _db.AddAwaitingRecordAsync(_north.Id, "Race", $"Customer{i:D2}")).Id);
        var agents = Enumerable.Range(1, 64).Select(i => CoreTestDatabase.Agent($"Agent {i:D2}", _north.Id)).ToList();
        // Five agents who went home holding a customer: their leases have run out when the race starts, so the sweeper and
        // the claimers race for those rows (the only leases that expire: the clock stands still during the race).
        var goneHome = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var agent = CoreTestDatabase.Agent($"Gone Home {i}", _north.Id);
            Assert.True((await _db.Locks.AcquireAsync(agent, records[i * 4], CallLockService.NewPageToken())).Succeeded);
            goneHome.Add(agent.UserId);
        }
        _db.Time.Advance(TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds + 1));
        var wins = new ConcurrentDictionary<(string Agent, int Record), int>();
        var releases = new ConcurrentDictionary<(string Agent, int Record), int>();
        var refusals = new ConcurrentBag<LockOutcome>();
        long renewedWhileHeld = 0, strangerRenewals = 0, strangerReleases = 0;
        var duration = TimeSpan.FromSeconds(4);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        async Task Agent(UserScope agent, int seed)
        {
            var rnd = new Random(seed);
            while (clock.Elapsed < duration)
            {
                var id = records[rnd.Next(records.Count)];
                // A new calling page for every Open: a win is always a new take, so it always writes lock.acquired.
                var page = CallLockService.NewPageToken();
                var result = await _db.Locks.AcquireAsync(agent, id, page);
                if (!result.Succeeded)
                {
                    refusals.Add(result.Outcome);
                    // Someone else's lease: renewing or releasing it with a page that never held it must change nothing.
                    if (await _db.Locks.RenewAsync(agent, id, page)) Interlocked.Increment(ref strangerRenewals);
                    if (await _db.Locks.ReleaseAsync(agent, id, page)) Interlocked.Increment(ref strangerReleases);
                    continue;
                }
                wins.AddOrUpdate((agent.UserId, id), 1, (_, n) => n + 1);
                for (var r = rnd.Next(3); r > 0; r--)
                {
                    Assert.True(await _db.Locks.RenewAsync(agent, id, page), $"{agent.DisplayName} lost record {id} while holding it");
                    Interlocked.Increment(ref renewedWhileHeld);
                }
                Assert.True(await _db.Locks.ReleaseAsync(agent, id, page), $"{agent.DisplayName} could not give back record {id}");
                releases.AddOrUpdate((agent.UserId, id), 1, (_, n) => n + 1);
            }
        }

        async Task Sweeper()
        {
            while (clock.Elapsed < duration)
            {
                await _db.Locks.SweepExpiredAsync();
                await Task.Delay(20);
            }
        }

        await Task.WhenAll(agents.Select((a, n) => Task.Run(() => Agent(a, n))).Append(Task.Run(Sweeper)));

        // Not a speed test (the machine may be busy): only that the race really happened.
        Assert.True(wins.Values.Sum() >= 20, $"only {wins.Values.Sum()} claims won in {duration.TotalSeconds} s");
        Assert.Contains(LockOutcome.HeldByOther, refusals);
        Assert.Equal(0, Interlocked.Read(ref strangerRenewals));
        Assert.Equal(0, Interlocked.Read(ref strangerReleases));
        Assert.True(renewedWhileHeld > 0);

        await using var db = _db.NewDbContext();
        var log = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == CallLockService.AcquiredAction || a.Action == CallLockService.ReleasedAction || a.Action == CallLockService.ExpiredAction)
            .OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.Action, a.UserId, a.EntityId })
            .ToListAsync();

        // Commit order is Id order: a customer is taken only when nobody holds it (or its holder went home and the lease ran
        // out), given back only by its holder.
        var holder = new Dictionary<string, string?>();
        foreach (var entry in log)
        {
            var current = holder.GetValueOrDefault(entry.EntityId!);
            if (entry.Action == CallLockService.AcquiredAction)
            {
                Assert.True(current is null || goneHome.Contains(current),
                    $"audit {entry.Id}: {entry.UserId} took record {entry.EntityId} while {current} held it");
                holder[entry.EntityId!] = entry.UserId;
            }
            else
            {
                Assert.True(current is not null, $"audit {entry.Id}: {entry.Action} of record {entry.EntityId} that nobody held");
                if (entry.Action == CallLockService.ReleasedAction) Assert.Equal(current, entry.UserId);
                holder[entry.EntityId!] = null;
            }
        }

        // Every "won" has exactly one lock.acquired row, every successful release one lock.released row, refusals none.
        var acquiredRows = log.Where(a => a.Action == CallLockService.AcquiredAction && !goneHome.Contains(a.UserId!))
            .GroupBy(a => (a.UserId!, int.Parse(a.EntityId!))).ToDictionary(g => g.Key, g => g.Count());
        var releasedRows = log.Where(a => a.Action == CallLockService.ReleasedAction)
            .GroupBy(a => (a.UserId!, int.Parse(a.EntityId!))).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(wins.OrderBy(p => p.Key).ToList(), acquiredRows.OrderBy(p => p.Key).ToList());
        Assert.Equal(releases.OrderBy(p => p.Key).ToList(), releasedRows.OrderBy(p => p.Key).ToList());

        // Every claimer gave back what it won, and no lease of the agents who went home survived the sweeper and the claimers.
        var held = await db.SurveyRecords.AsNoTracking().Where(r => records.Contains(r.Id) && r.LockHolderId != null).Select(r => r.Id).ToListAsync();
        Assert.Empty(held);
    }

    [Fact]
    public async Task RunAsync_OneWriteInAGroupThrows_TheOthersCommitAndOnlyItsCallerSeesTheError()
    {
        var gate = new LockWriteGate(_db.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>(), NullLogger.Instance);
        var records = new List<int>();
        for (var i = 0; i < 10; i++) records.Add((await _db.AddAwaitingRecordAsync(_north.Id, "Group", $"Member{i}")).Id);
        var agents = records.Select((_, i) => CoreTestDatabase.Agent($"Grouped {i}", _north.Id)).ToList();

        Task<SqliteLockWrites.Claimed?>[] claims;
        Task<int> bad;
        await using (var solo = _db.NewDbContext())
        {
            // Hold the writer's slot while they queue, so all eleven writes run as one group when it is free.
            using (await gate.EnterAsync(solo, CancellationToken.None))
            {
                claims = records.Take(5).Select((id, i) => gate.RunAsync((c, tx) =>
                    SqliteLockWrites.Claim(c, tx, agents[i], id, "page", _db.Now, _db.Now.AddMinutes(1)))).ToArray();
                bad = gate.RunAsync<int>((c, tx) =>
                {
                    using var cmd = c.CreateCommand();
                    cmd.Transaction = tx;
                    cmd.CommandText = "INSERT INTO \"NoSuchTable\" VALUES (1)";
                    return cmd.ExecuteNonQuery();
                });
                claims = [.. claims, .. records.Skip(5).Select((id, i) => gate.RunAsync((c, tx) =>
                    SqliteLockWrites.Claim(c, tx, agents[5 + i], id, "page", _db.Now, _db.Now.AddMinutes(1))))];
                await Task.Delay(100);
                Assert.All(claims, t => Assert.False(t.IsCompleted));
            }
        }

        await Assert.ThrowsAsync<SqliteException>(() => bad);
        var won = await Task.WhenAll(claims);
        Assert.All(won, c => Assert.True(c is { NewlyTaken: true }));
        await using var db = _db.NewDbContext();
        var holders = await db.SurveyRecords.AsNoTracking().Where(r => records.Contains(r.Id))
            .OrderBy(r => r.Id).Select(r => r.LockHolderId).ToListAsync();
        Assert.Equal(agents.Select(a => a.UserId), holders);
        Assert.Equal(10, await db.AuditEntries.CountAsync(a => a.Action == CallLockService.AcquiredAction && a.Details!.StartsWith("Opened Group")));
    }

    [Fact]
    public async Task Sqlite_OpenedConnection_IsInWalModeWithNormalSync()
    {
        await using var db = _db.NewDbContext();
        await db.Database.OpenConnectionAsync();
        var c = db.Database.GetDbConnection();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
        cmd.CommandText = "PRAGMA synchronous"; // 1 = NORMAL
        Assert.Equal(1L, (long)(await cmd.ExecuteScalarAsync())!);
        cmd.CommandText = "PRAGMA busy_timeout";
        Assert.Equal(10000L, (long)(await cmd.ExecuteScalarAsync())!);
    }
}
