using System.Diagnostics;
using System.Net;
using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Live;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// How long an Open takes to be seen. The Open goes through the app's own CallLockService (resolved from the app's DI
/// container, called in-process: the service the chase list's Open button calls), as agent.north1. It is received by
/// signed-in /hubs/live clients in this process (receipt stamped on this process's Stopwatch; the Open's start is
/// taken just before AcquireAsync) and by real Chromium chase-list pages, where a MutationObserver stamps the moment
/// the row's lock chip appears with performance.timeOrigin + performance.now() (the system clock, as is the start's
/// DateTime.UtcNow on the same machine). Floor: a bare SignalR server in this process sends the same LiveEvent to the
/// same number of clients.
/// </summary>
public static class LockVisibility
{
    private static readonly string[] Viewers = ["agent.north1", "agent.north2", "ho.agent", "supervisor", "admin"];

    private const string ObserverScript = """
        () => {
          window.__kl = { id: null, seenAt: null };
          new MutationObserver(() => {
            const w = window.__kl;
            if (w.id === null || w.seenAt !== null) return;
            const badge = document.querySelector(`tr:has([data-record-id='${w.id}']) [data-testid='lock-badge']`);
            if (badge) w.seenAt = performance.timeOrigin + performance.now();
          }).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    public static async Task RunAsync(BenchContext ctx)
    {
        const string scenario = "lock visibility";
        var app = await ctx.AppAsync();
        var hubClients = ctx.Quick ? 10 : 100;
        var pages = ctx.Quick ? 1 : 5;
        var opens = ctx.Quick ? 3 : 30;

        var northgate = await app.ScopeAsync("agent.north1");
        var opener = LockPath.For(northgate);
        var lockPath = new LockPath(app.Service<CallLockService>(), app.Service<ChaseNavigator>());
        var recordId = await PickRecordAsync(app);
        BenchContext.Log($"{scenario}: record {recordId}, {hubClients} hub clients, {pages} pages, {opens} opens × {ctx.Repetitions}");

        // Hub clients: five signed-in users who may see Northgate, the connections spread over them.
        var cookies = new List<CookieContainer>();
        foreach (var user in Viewers) cookies.Add((await app.SignInAsync(user)).Cookies);
        var appClients = new Receivers(hubClients);
        var connections = new List<HubConnection>();
        for (var i = 0; i < hubClients; i++)
        {
            var jar = cookies[i % cookies.Count];
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(app.BaseAddress, "hubs/live"), o => { o.Cookies = jar; o.Transports = HttpTransportType.WebSockets; })
                .Build();
            var index = i;
            connection.On<LiveEvent>("LiveEvent", e => { if (e.Kind == LiveEventKind.LockTaken && e.RecordId == recordId) appClients.Receive(index); });
            connections.Add(connection);
        }
        await Task.WhenAll(connections.Select(c => c.StartAsync()));

        await using var floor = await FloorHubServer.StartAsync();
        var floorClients = new Receivers(hubClients);
        var floorConnections = new List<HubConnection>();
        for (var i = 0; i < hubClients; i++)
        {
            var connection = new HubConnectionBuilder().WithUrl(floor.HubUrl, o => o.Transports = HttpTransportType.WebSockets).Build();
            var index = i;
            connection.On<LiveEvent>("LiveEvent", _ => floorClients.Receive(index));
            floorConnections.Add(connection);
        }
        await Task.WhenAll(floorConnections.Select(c => c.StartAsync()));

        // Chromium pages, one signed-in profile each.
        var chromium = await ctx.ChromiumAsync();
        var browserPages = new List<IPage>();
        foreach (var user in Viewers.Take(pages))
        {
            var context = await chromium.SignInAsync(app.BaseAddress, user);
            var page = await Chromium.OpenChaseListAsync(context);
            await page.Locator($"[data-record-id='{recordId}']").WaitForAsync();
            await page.EvaluateAsync(ObserverScript);
            browserPages.Add(page);
        }

        var hub = new List<Percentiles>();
        var floorReps = new List<Percentiles>();
        var browser = new List<Percentiles>();
        var writes = new List<Percentiles>();
        var fanOuts = new List<Percentiles>();
        List<double> allHub = [], allFloor = [], allBrowser = [], allWrite = [], allFanOut = [];
        (List<double> Hub, List<double> Floor) alone = ([], []);
        var sample = new LiveEvent(LiveEventKind.LockTaken, 1, recordId, "Floor Customer", northgate.UserId, northgate.DisplayName);
        try
        {
            // One Open and release before anything is timed, seen by every client and page: the first call of each path
            // (the claim's SQL, the event's serialisation, the pages' first patch) is start-up work, measured by start-up. The floor's
            // server gets its one broadcast too.
            floorClients.Arm();
            await floor.BroadcastAsync(sample);
            await floorClients.WaitAsync();
            appClients.Arm();
            if (!await lockPath.OpenAsync(opener, recordId)) throw new InvalidOperationException($"Open of record {recordId} was refused");
            await appClients.WaitAsync();
            await lockPath.ReleaseAsync(opener, recordId);
            foreach (var page in browserPages)
                await page.Locator($"tr:has([data-record-id='{recordId}']) [data-testid='lock-free']").WaitForAsync();

            for (var rep = 0; rep < ctx.Repetitions; rep++)
            {
                List<double> hubRep = [], floorRep = [], browserRep = [], writeRep = [], fanOutRep = [];
                for (var i = 0; i < opens; i++)
                {
                    // Floor: the same event, the same number of clients, a server that does nothing else.
                    floorClients.Arm();
                    await floor.BroadcastAsync(sample);
                    floorRep.AddRange(await floorClients.WaitAsync());

                    foreach (var page in browserPages)
                        await page.EvaluateAsync($"() => {{ window.__kl.id = {recordId}; window.__kl.seenAt = null; }}");
                    appClients.Arm();
                    var startEpoch = BenchContext.EpochMs();
                    var openStarted = Stopwatch.GetTimestamp();
                    if (!await lockPath.OpenAsync(opener, recordId)) throw new InvalidOperationException($"Open of record {recordId} was refused");
                    // The profile of the figure: the Open's own transaction (AcquireAsync publishes just before it returns),
                    // and the rest — the fan-out to the hub clients, comparable with the floor's broadcast.
                    var write = BenchContext.Ms(openStarted, Stopwatch.GetTimestamp());
                    if (Environment.GetEnvironmentVariable("KL_BENCH_TRACE") is not null) BenchContext.Log($"open {rep}.{i}: write {write:0.0} ms");
                    var received = (await appClients.WaitAsync()).ToList();
                    hubRep.AddRange(received);
                    writeRep.Add(write);
                    fanOutRep.AddRange(received.Select(r => Math.Max(0, r - write)));
                    foreach (var page in browserPages)
                        browserRep.Add(await SeenAtAsync(page) - startEpoch);

                    await lockPath.ReleaseAsync(opener, recordId);
                    foreach (var page in browserPages)
                        await page.Locator($"tr:has([data-record-id='{recordId}']) [data-testid='lock-free']").WaitForAsync();
                    await Task.Delay(100);
                }
                hub.Add(Percentiles.Of(hubRep)); floorReps.Add(Percentiles.Of(floorRep)); browser.Add(Percentiles.Of(browserRep));
                writes.Add(Percentiles.Of(writeRep)); fanOuts.Add(Percentiles.Of(fanOutRep));
                allHub.AddRange(hubRep); allFloor.AddRange(floorRep); allBrowser.AddRange(browserRep);
                allWrite.AddRange(writeRep); allFanOut.AddRange(fanOutRep);
                BenchContext.Log($"{scenario} rep {rep + 1}: hub {hub[^1]}, floor {floorReps[^1]}, pages {browser[^1]}, write {writes[^1]}, fan-out {fanOuts[^1]}");
            }

            // The same Opens with the chase-list pages closed: what their circuits' work on each event (patching the row,
            // rendering, sending the diff, in this process, on the same cores) adds to the hub clients' figure.
            // Navigating away ends each page's circuit (Blazor's unload beacon) and so its live subscription; waited for.
            var bus = app.Service<LiveEventBus>();
            var listening = bus.SubscriberCount;
            foreach (var page in browserPages)
            {
                await page.GotoAsync("about:blank");
                await page.Context.CloseAsync();
            }
            var gone = Stopwatch.StartNew();
            while (bus.SubscriberCount > listening - browserPages.Count && gone.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);
            BenchContext.Log($"{scenario}: live listeners {listening} → {bus.SubscriberCount} with the pages closed");
            browserPages.Clear();
            for (var i = 0; i < opens; i++)
            {
                floorClients.Arm();
                await floor.BroadcastAsync(sample);
                alone.Floor.AddRange(await floorClients.WaitAsync());
                appClients.Arm();
                if (!await lockPath.OpenAsync(opener, recordId)) throw new InvalidOperationException($"Open of record {recordId} was refused");
                alone.Hub.AddRange(await appClients.WaitAsync());
                await lockPath.ReleaseAsync(opener, recordId);
                await Task.Delay(100);
            }
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()).Concat(floorConnections.Select(c => c.DisposeAsync().AsTask())));
            foreach (var page in browserPages) await page.Context.CloseAsync();
        }

        var hubP = Percentiles.Of(allHub);
        var floorP = Percentiles.Of(allFloor);
        var browserP = Percentiles.Of(allBrowser);
        ctx.Report.Add(new Figure(scenario, $"Open → LiveEvent at {hubClients} signed-in /hubs/live clients", "ms", hubP, floorP,
            $"bare SignalR broadcast, {hubClients} clients", hub,
            "p99 ≤ 100 ms and ≤ 2× floor", hubP.P99 <= 100 && hubP.P99 <= 2 * floorP.P99,
            Note: "Open = the app's CallLockService.AcquireAsync, resolved from its DI container, called in-process (the chase list's Open calls the same singleton); includes the UPDATE, audit write and publish; timed after one unmeasured Open (and one floor broadcast) so first-call JIT is not in it"));
        ctx.Report.Add(new Figure(scenario, "profile: the Open's own transaction (AcquireAsync start → return)", "ms", Percentiles.Of(allWrite), null,
            null, writes, Note: "the conditional UPDATE, the audit row and the commit on SQLite; the event is published just before it returns"));
        ctx.Report.Add(new Figure(scenario, $"profile: AcquireAsync returned → LiveEvent at {hubClients} clients (fan-out)", "ms", Percentiles.Of(allFanOut), floorP,
            $"bare SignalR broadcast, {hubClients} clients", fanOuts,
            Note: "each client's receipt less its Open's own transaction: the part of the figure above that the floor's broadcast is comparable with"));
        ctx.Report.Add(new Figure(scenario, $"profile: Open → LiveEvent at {hubClients} clients, no chase-list page open", "ms", Percentiles.Of(alone.Hub),
            Percentiles.Of(alone.Floor), $"bare SignalR broadcast, {hubClients} clients", [Percentiles.Of(alone.Hub)],
            Note: $"{opens} Opens after the repetitions above, with the {pages} Chromium pages closed: the difference from the first figure is their circuits' share"));
        ctx.Report.Add(new Figure(scenario, $"Open → lock chip in {pages} Chromium chase-list pages", "ms", browserP, floorP,
            $"bare SignalR broadcast, {hubClients} clients", browser, "p50 ≤ 100 ms", browserP.P50 <= 100,
            Note: "MutationObserver in each page stamps performance.timeOrigin + now() when the row's lock chip appears; compared with the system clock just before AcquireAsync"));
    }

    /// <summary>A free Northgate record on the first page of both a Northgate agent's and head office's chase list.</summary>
    private static async Task<int> PickRecordAsync(BenchApp app)
    {
        var query = app.Service<ChaseListQuery>();
        var north = await query.GetPageAsync(await app.ScopeAsync("agent.north2"), new ChaseListRequest(0, 25));
        var headOffice = await query.GetPageAsync(await app.ScopeAsync("ho.agent"), new ChaseListRequest(0, 25));
        var both = headOffice.Rows.Select(r => r.RecordId).ToHashSet();
        return north.Rows.First(r => both.Contains(r.RecordId) && r.LockHolderId is null && r.ReservedForId is null).RecordId;
    }

    private static async Task<double> SeenAtAsync(IPage page)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var seen = await page.EvaluateAsync<double?>("() => window.__kl.seenAt");
            if (seen is { } at) return at;
            await Task.Delay(5);
        }
        throw new TimeoutException("A chase-list page did not show the lock within 30 s");
    }

    /// <summary>Receipt times of one message at many clients, against the moment it was armed.</summary>
    private sealed class Receivers(int count)
    {
        private readonly long[] _at = new long[count];
        private long _start;
        private int _received;
        private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Arm()
        {
            Array.Clear(_at);
            _received = 0;
            _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _start = Stopwatch.GetTimestamp();
        }

        public void Receive(int index)
        {
            var now = Stopwatch.GetTimestamp();
            if (Interlocked.CompareExchange(ref _at[index], now, 0) == 0 && Interlocked.Increment(ref _received) == _at.Length)
                _all.TrySetResult();
        }

        public async Task<IEnumerable<double>> WaitAsync()
        {
            await _all.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return _at.Select(t => BenchContext.Ms(_start, t)).ToList();
        }
    }
}
