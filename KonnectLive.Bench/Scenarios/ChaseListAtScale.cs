using System.Diagnostics;
using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// The chase list's queries and Open / Next at two sizes, each in a database file of its own (the app's migrations,
/// generated Awaiting customers), through the app's own ChaseListQuery and CallLockService as a head-office agent
/// sees them (every dealership). The 1k figure is the 100k figure's floor: the target is that size costs nothing.
/// </summary>
public static class ChaseListAtScale
{
    public static async Task RunAsync(BenchContext ctx)
    {
        const string scenario = "chase list at scale";
        var (small, large) = ctx.Quick ? (1_000, 2_000) : (1_000, 100_000);
        // 100 a repetition (300 samples a size): with 30 the p99 of 90 samples was their maximum, one GC pause or
        // scheduler stall decided the ratio.
        var iterations = ctx.Quick ? 3 : 100;
        await using var smallDb = await CreateAsync(small);
        await using var largeDb = await CreateAsync(large);

        var ops = new (string Name, Func<Sized, Task<double>> Run)[]
        {
            ("first page of 25", s => Timed(() => s.Query.GetPageAsync(s.User, new ChaseListRequest(0, 25)))),
            ("deep page (¾ down the list)", s => Timed(() => s.Query.GetPageAsync(s.User, new ChaseListRequest(s.Size * 3 / 4 / 25 * 25, 25)))),
            ("search by phone", s => Timed(() => s.Query.GetPageAsync(s.User, new ChaseListRequest(0, 25, s.Phone)))),
            // Like with like: a surname given to the same 12 customers at both sizes (spread down the list).
            ($"search by surname ({SameSurnameCount} matches at both sizes)", s => Timed(() => s.Query.GetPageAsync(s.User, new ChaseListRequest(0, 25, SameSurname)))),
            // The generated surnames are 'Surname' || (i % 7919): "Surname77" also finds Surname770–779 and 7700–7799, so
            // ~3 customers at 1k and ~1,400 at 100k. Kept to show what a search costs with 470× the matches (no target).
            ("search by surname \"Surname77\" (more matches at 100k)", s => Timed(() => s.Query.GetPageAsync(s.User, new ChaseListRequest(0, 25, "Surname77")))),
            // The page anchors are read again after any change of the list's members (like the count): this is that first page.
            ("deep page just after a change (anchors re-read)", s => { s.ListChanged(); return Timed(() => s.Query.GetPageAsync(s.User, new ChaseListRequest(s.Size * 3 / 4 / 25 * 25, 25))); }),
            ("Open (AcquireAsync)", s => s.OpenAsync()),
            ("Next from the deep page (find, release, open)", s => s.NextAsync()),
        };
        var sizes = new[] { new Sized(smallDb, small), new Sized(largeDb, large) };
        foreach (var s in sizes) await s.InitAsync();

        foreach (var (name, run) in ops)
        {
            List<Percentiles> smallReps = [], largeReps = [];
            List<double> smallAll = [], largeAll = [];
            for (var rep = 0; rep < ctx.Repetitions; rep++)
            {
                foreach (var s in sizes) await run(s); // warm: the first call compiles the query
                // Interleaved (small, large, small, …): both sizes meet the same moments of a shared machine.
                List<double> a = new(iterations), b = new(iterations);
                for (var i = 0; i < iterations; i++)
                {
                    a.Add(await run(sizes[0]));
                    b.Add(await run(sizes[1]));
                }
                smallReps.Add(Percentiles.Of(a)); largeReps.Add(Percentiles.Of(b));
                smallAll.AddRange(a); largeAll.AddRange(b);
            }
            var smallP = Percentiles.Of(smallAll);
            var largeP = Percentiles.Of(largeAll);
            BenchContext.Log($"{scenario} {name}: {small:N0} {smallP} · {large:N0} {largeP}");
            var targeted = !name.Contains("more matches") && !name.Contains("after a change");
            ctx.Report.Add(new Figure(scenario, $"{name} at {large:N0} records", "ms", largeP, smallP, $"the same at {small:N0} records", largeReps,
                targeted ? $"p99 {large / 1000}k/{small / 1000}k ≤ 1.3" : null, targeted ? largeP.P99 <= 1.3 * smallP.P99 : null));
        }
    }

    private static async Task<CoreOnly> CreateAsync(int size)
    {
        var sw = Stopwatch.StartNew();
        var core = await CoreOnly.CreateAsync();
        var dealers = new[] { await core.AddDealershipAsync("S1"), await core.AddDealershipAsync("S2"), await core.AddDealershipAsync("S3") };
        // Three dealerships, interleaved like real data.
        var third = size / 3;
        for (var d = 0; d < 3; d++)
            await Dataset.AddAwaitingAsync(core.DatabasePath, dealers[d], d == 2 ? size - 2 * third : third, d * 1_000_000, $"S{d + 1}");
        await GiveSameSurnameAsync(core.DatabasePath, size);
        BenchContext.Log($"chase list at scale: {size:N0} records generated in {sw.ElapsedMilliseconds} ms");
        return core;
    }

    private const string SameSurname = "Farrowdale";
    private const int SameSurnameCount = 12;

    /// <summary>Gives <see cref="SameSurnameCount"/> customers, spread evenly down the ids, a surname no generated name contains.</summary>
    private static async Task GiveSameSurnameAsync(string databasePath, int size)
    {
        await using var c = Dataset.Open(databasePath);
        await using var cmd = c.CreateCommand();
        // SearchName is what the app's name search reads (its FTS5 trigram index follows it by trigger).
        cmd.CommandText = $"""
            UPDATE Customers SET LastName = '{SameSurname}', SearchName = upper(FirstName || ' {SameSurname}')
            WHERE Id IN (SELECT Id FROM (SELECT Id, row_number() OVER (ORDER BY Id) AS n FROM Customers) WHERE n % {size / SameSurnameCount} = 0 LIMIT {SameSurnameCount});
            SELECT count(*) FROM Customers WHERE LastName = '{SameSurname}';
            """;
        var count = (long)(await cmd.ExecuteScalarAsync())!;
        if (count != SameSurnameCount) throw new InvalidOperationException($"{count} customers named {SameSurname}, not {SameSurnameCount}");
    }

    private static async Task<double> Timed(Func<Task> run)
    {
        var start = Stopwatch.GetTimestamp();
        await run();
        return BenchContext.Ms(start, Stopwatch.GetTimestamp());
    }

    /// <summary>One database and what the operations need from it.</summary>
    private sealed class Sized(CoreOnly core, int size)
    {
        public int Size { get; } = size;
        public ChaseListQuery Query { get; } = core.Service<ChaseListQuery>();
        public UserScope User { get; } = new("bench-ho", "Bench HO", null, true, [Roles.Agent]);
        private readonly LockPath _locks = new(core.Service<CallLockService>(), core.Service<ChaseNavigator>());
        private LockPath.Holder? _holder;
        private LockPath.Holder Holder => _holder ??= LockPath.For(User); // one calling page: Open and Next share its token
        public string Phone { get; private set; } = "";
        private readonly LiveEventBus _bus = core.Service<LiveEventBus>();

        /// <summary>What every writer of the list publishes (here with no change behind it): the next page read re-reads the anchors and the count.</summary>
        public void ListChanged() => _bus.Dispatch(new LiveEvent(LiveEventKind.RecordsChanged, _deepDealership, 0));
        private int _deepDealership;
        private List<int> _deep = [];
        private int _next;

        public async Task InitAsync()
        {
            var deep = await Query.GetPageAsync(User, new ChaseListRequest(Size * 3 / 4 / 25 * 25, 25));
            _deep = deep.Rows.Select(r => r.RecordId).ToList();
            _deepDealership = deep.Rows[0].DealershipId;
            // A customer half-way down the generated ids, searched for by the national form of their number.
            Phone = $"070{Size / 6:D8}";
        }

        /// <summary>Times the Open alone; the release after it is not timed.</summary>
        public async Task<double> OpenAsync()
        {
            var id = _deep[_next++ % _deep.Count];
            var start = Stopwatch.GetTimestamp();
            if (!await _locks.OpenAsync(Holder, id)) throw new InvalidOperationException($"Open of {id} refused");
            var ms = BenchContext.Ms(start, Stopwatch.GetTimestamp());
            await _locks.ReleaseAsync(Holder, id);
            return ms;
        }

        /// <summary>Holds a deep-page customer (not timed), times Next from it, gives the new one back (not timed).</summary>
        public async Task<double> NextAsync()
        {
            var id = _deep[_next++ % (_deep.Count - 1)];
            if (!await _locks.OpenAsync(Holder, id)) throw new InvalidOperationException($"Open of {id} refused");
            var start = Stopwatch.GetTimestamp();
            var now = await _locks.NextAsync(Holder, id) ?? throw new InvalidOperationException($"Next from {id} found nobody");
            var ms = BenchContext.Ms(start, Stopwatch.GetTimestamp());
            await _locks.ReleaseAsync(Holder, now);
            return ms;
        }
    }
}
