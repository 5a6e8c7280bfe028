using System.Collections.Concurrent;
using System.Diagnostics;
using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Users;
using Microsoft.Data.Sqlite;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// 32 agents claiming at random among the bench dealership's 1,000 customers through the app's CallLockService: each
/// claim that wins is given back at once, so the same customers are fought over for the whole run. Double locks are
/// counted from the database's audit log (a record's lock.acquired followed by another agent's lock.acquired with no
/// release between) and from the claimers' own view (a win while another claimer still thinks it holds the record).
/// Floor: the same 32 workers doing the bare conditional UPDATE claim and release with prepared ADO.NET commands on
/// the same file.
/// </summary>
public static class Contention
{
    public static async Task RunAsync(BenchContext ctx)
    {
        const string scenario = "contention";
        var app = await ctx.AppAsync();
        const int claimers = 32;
        var duration = TimeSpan.FromSeconds(ctx.Quick ? 2 : 30);
        var lockPath = new LockPath(app.Service<CallLockService>(), app.Service<ChaseNavigator>());
        var recordIds = await RecordIdsAsync(app, ctx.BenchDealershipId);
        var agents = Enumerable.Range(1, claimers)
            .Select(i => LockPath.For(new UserScope($"bench-claimer-{i:D2}", $"Claimer {i:D2}", ctx.BenchDealershipId, true, [Roles.Agent])))
            .ToList();

        List<Percentiles> reps = [], floorReps = [];
        List<double> all = [], allFloor = [];
        double wins = 0, attempts = 0, seconds = 0, floorWins = 0, floorSeconds = 0;
        long doubles = 0, overlaps = 0;
        // Warm-up, not measured: the first claims compile the lock service's queries.
        await ClaimAsync(lockPath, agents, recordIds, TimeSpan.FromSeconds(ctx.Quick ? 0.5 : 3), seed: -1);
        for (var rep = 0; rep < ctx.Repetitions; rep++)
        {
            var since = await MaxAuditIdAsync(app);
            var (won, tried, overlap, latencies, elapsed) = await ClaimAsync(lockPath, agents, recordIds, duration, rep);
            var dbDoubles = await CountDoubleLocksAsync(app, since);
            var floor = await FloorAsync(app.DatabasePath, recordIds, claimers, duration, rep);

            wins += won; attempts += tried; seconds += elapsed; doubles += dbDoubles; overlaps += overlap;
            floorWins += floor.Wins; floorSeconds += floor.Seconds;
            reps.Add(Percentiles.Of(latencies)); floorReps.Add(Percentiles.Of(floor.Latencies));
            all.AddRange(latencies); allFloor.AddRange(floor.Latencies);
            BenchContext.Log($"{scenario} rep {rep + 1}: {won / elapsed:N0} claims/s ({tried / elapsed:N0} tries/s), acquire {reps[^1]}; " +
                             $"double locks {dbDoubles} (db) {overlap} (claimers); floor {floor.Wins / floor.Seconds:N0} claims/s {floorReps[^1]}; " +
                             $"AcquireAsync latencies by 150 ms step: {string.Join(" ", latencies.GroupBy(l => (int)(l / 150)).OrderBy(g => g.Key).Select(g => $"{g.Key * 150}+:{g.Count()}"))}");
        }

        var rate = wins / seconds;
        ctx.Report.Add(new Figure(scenario, $"{claimers} claimers × {recordIds.Count:N0} customers, {duration.TotalSeconds:N0} s: claims/s (won, each given back), AcquireAsync latency",
            "ms", Percentiles.Of(all), Percentiles.Of(allFloor), "bare conditional UPDATE claim + release (ADO.NET, same file)", reps,
            "≥ 2,000 claims/s", rate >= 2000, Rate: rate, FloorRate: floorWins / floorSeconds, RateUnit: "claims/s",
            Note: $"{attempts / seconds:N0} AcquireAsync calls/s in all (won or lost)"));
        ctx.Report.Add(new Figure(scenario, "double locks (database audit log; claimers' own view)", "", new Percentiles(0, double.NaN, double.NaN, double.NaN),
            null, null, [], "0", doubles == 0 && overlaps == 0, Rate: doubles, RateUnit: $"in the database, {overlaps} seen by claimers"));
    }

    private static async Task<(long Won, long Tried, long Overlaps, List<double> Latencies, double Seconds)> ClaimAsync(
        LockPath lockPath, List<LockPath.Holder> agents, List<int> recordIds, TimeSpan duration, int seed)
    {
        var holds = new ConcurrentDictionary<int, string>();
        var latencies = new ConcurrentBag<double>();
        var releases = new ConcurrentBag<double>();
        long won = 0, tried = 0, overlap = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(agents.Select((agent, n) => Task.Run(async () =>
        {
            var rnd = new Random(seed * 100 + n);
            while (clock.Elapsed < duration)
            {
                var id = recordIds[rnd.Next(recordIds.Count)];
                var start = Stopwatch.GetTimestamp();
                var ok = await lockPath.OpenAsync(agent, id);
                latencies.Add(BenchContext.Ms(start, Stopwatch.GetTimestamp()));
                Interlocked.Increment(ref tried);
                if (!ok) continue;
                Interlocked.Increment(ref won);
                // A win while another claimer still holds the record (between its win and its release) is a double lock.
                if (!holds.TryAdd(id, agent.Agent.UserId)) Interlocked.Increment(ref overlap);
                holds.TryRemove(new KeyValuePair<int, string>(id, agent.Agent.UserId));
                var released = Stopwatch.GetTimestamp();
                await lockPath.ReleaseAsync(agent, id);
                releases.Add(BenchContext.Ms(released, Stopwatch.GetTimestamp()));
            }
        })));
        if (seed >= 0) BenchContext.Log($"contention: ReleaseAsync {Percentiles.Of(releases)}");
        return (won, tried, overlap, latencies.ToList(), clock.Elapsed.TotalSeconds);
    }

    private static async Task<List<int>> RecordIdsAsync(BenchApp app, int dealershipId)
    {
        await using var c = app.OpenDatabase();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT Id FROM SurveyRecords WHERE DealershipId = $d AND Status = 'Awaiting' ORDER BY Id";
        cmd.Parameters.AddWithValue("$d", dealershipId);
        var ids = new List<int>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) ids.Add(r.GetInt32(0));
        return ids;
    }

    private static async Task<long> MaxAuditIdAsync(BenchApp app)
    {
        await using var c = app.OpenDatabase();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM AuditEntries";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Per record, in commit order: an acquire by one agent after another agent's acquire with no release between.</summary>
    private static async Task<long> CountDoubleLocksAsync(BenchApp app, long sinceId)
    {
        await using var c = app.OpenDatabase();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT EntityId, Action, UserId FROM AuditEntries WHERE Id > $since AND Action IN ($a, $r, $e) ORDER BY Id";
        cmd.Parameters.AddWithValue("$since", sinceId);
        cmd.Parameters.AddWithValue("$a", CallLockService.AcquiredAction);
        cmd.Parameters.AddWithValue("$r", CallLockService.ReleasedAction);
        cmd.Parameters.AddWithValue("$e", CallLockService.ExpiredAction);
        var holder = new Dictionary<string, string?>();
        long doubles = 0;
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var record = r.GetString(0);
            var user = r.IsDBNull(2) ? null : r.GetString(2);
            if (r.GetString(1) == CallLockService.AcquiredAction)
            {
                if (holder.GetValueOrDefault(record) is { } other && other != user) doubles++;
                holder[record] = user;
            }
            else holder[record] = null;
        }
        return doubles;
    }

    private sealed record FloorResult(long Wins, double Seconds, List<double> Latencies);

    private static async Task<FloorResult> FloorAsync(string databasePath, List<int> recordIds, int workers, TimeSpan duration, int rep)
    {
        var latencies = new ConcurrentBag<double>();
        long wins = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(n => Task.Run(() =>
        {
            using var c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
            c.Open();
            using (var pragma = c.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
                pragma.ExecuteNonQuery();
            }
            var me = $"floor-{rep}-{n}";
            using var claim = c.CreateCommand();
            claim.CommandText = "UPDATE SurveyRecords SET LockHolderId = $me, LockHolderName = $me, LockAcquiredAt = $now, LockExpiresAt = $exp " +
                                "WHERE Id = $id AND Status = 'Awaiting' AND (LockHolderId IS NULL OR LockExpiresAt <= $now)";
            var pMe = claim.Parameters.AddWithValue("$me", me);
            var pNow = claim.Parameters.AddWithValue("$now", "");
            var pExp = claim.Parameters.AddWithValue("$exp", "");
            var pId = claim.Parameters.AddWithValue("$id", 0);
            claim.Prepare();
            using var release = c.CreateCommand();
            release.CommandText = "UPDATE SurveyRecords SET LockHolderId = NULL, LockHolderName = NULL, LockAcquiredAt = NULL, LockExpiresAt = NULL WHERE Id = $id AND LockHolderId = $me";
            var rId = release.Parameters.AddWithValue("$id", 0);
            release.Parameters.AddWithValue("$me", me);
            release.Prepare();
            var rnd = new Random(n);
            while (clock.Elapsed < duration)
            {
                var id = recordIds[rnd.Next(recordIds.Count)];
                var now = DateTime.UtcNow;
                pNow.Value = now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");
                pExp.Value = now.AddSeconds(60).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");
                pId.Value = id;
                var start = Stopwatch.GetTimestamp();
                var ok = claim.ExecuteNonQuery() == 1;
                latencies.Add(BenchContext.Ms(start, Stopwatch.GetTimestamp()));
                if (!ok) continue;
                Interlocked.Increment(ref wins);
                rId.Value = id;
                release.ExecuteNonQuery();
            }
        })));
        return new FloorResult(wins, clock.Elapsed.TotalSeconds, latencies.ToList());
    }
}
