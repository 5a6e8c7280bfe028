using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// <c>--cluster</c>: what scale-out costs and gives, on this box. Two instances on PostgreSQL and Redis
/// (deploy/run-local-cluster.sh) against the embedded single instance (SQLite, in-process events), in the same run.
/// <list type="bullet">
/// <item>Lock visibility: agent.north1 presses Open in a real Chromium chase list (the click's moment stamped in the page
/// with performance.timeOrigin + now()); signed-in <c>/hubs/live</c> clients stamp the LockTaken event's arrival on the
/// same system clock. In the cluster the page is on instance 1 and the clients are on instance 2 (the event crosses
/// Redis) and on instance 1 itself; in the single instance the page and the clients are on the one app. The agent then
/// presses Re-list, as an agent would, and the next Open follows.</item>
/// <item>Ingest: FOCUS batches of 1,000 new records through POST /api/v1/csi/records, one after another into one
/// instance, against the same batches split over both instances at once (two dealerships, one per instance; and one
/// dealership's batches split, which the cluster-wide ingest lock serialises on purpose).</item>
/// </list>
/// </summary>
public static class ClusterScaleOut
{
    private static readonly string[] Viewers = ["agent.north2", "ho.agent", "supervisor", "admin"];

    /// <summary>Clicks Open on the record's row and returns the click's moment on the system clock.</summary>
    private const string ClickOpen = """
        recordId => {
          const button = document.querySelector(`tr:has([data-record-id='${recordId}']) [data-testid='open-button']`);
          const at = performance.timeOrigin + performance.now();
          button.click();
          return at;
        }
        """;

    /// <summary>A free Northgate row whose Open can be pressed (not reserved, a number to call).</summary>
    private const string PickFree = """
        () => {
          const row = [...document.querySelectorAll('tr')].find(r => r.querySelector("[data-testid='lock-free']")
            && r.querySelector("[data-testid='open-button']:not([disabled])"));
          return row ? Number(row.querySelector('[data-record-id]').dataset.recordId) : 0;
        }
        """;

    public static async Task RunAsync(BenchContext ctx)
    {
        const string scenario = "cluster";
        var clients = ctx.Quick ? 10 : 50;
        var opens = ctx.Quick ? 3 : 15;
        var batchSize = ctx.Quick ? 100 : 1_000;
        var batches = ctx.Quick ? 2 : 3;
        var ingestReps = 1; // on a shared 2-core box one pass of each is minutes already

        // The single instance first (the bench's embedded app), then the cluster; the browser is shared.
        var chromium = await ctx.ChromiumAsync();
        var app = await ctx.AppAsync();
        var single = await MeasureOpensAsync(chromium, app.BaseAddress, [("one instance", app.BaseAddress)], clients, opens, ctx.Repetitions);
        BenchContext.Log($"{scenario}: single instance Open → hub {Percentiles.Of(single["one instance"].SelectMany(r => r))}");
        var singleIngest = await IngestAsync([app.BaseAddress], ["NGM"], batches, batchSize, ingestReps, pass: 0);
        BenchContext.Log($"{scenario}: single instance ingest {singleIngest.Rate:N0} records/s");

        var started = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync();
        BenchContext.Log($"{scenario}: cluster up in {started.Elapsed.TotalSeconds:N0} s: {cluster.LoadBalancer}, {string.Join(", ", cluster.Instances.Select(i => i.ToString()))}");
        var (one, two) = (cluster.Instances[0], cluster.Instances[1]);
        // Ingest first: it also gives Northgate's chase list on the cluster fresh Awaiting customers to open.
        var oneInstanceIngest = await IngestAsync([one], ["NGM"], batches, batchSize, ingestReps, pass: 1);
        var twoDealerships = await IngestAsync([one, two], ["SBC", "EFA"], batches, batchSize, ingestReps, pass: 4);
        var oneDealershipSplit = await IngestAsync([one, two], ["NGM", "NGM"], batches, batchSize, ingestReps, pass: 7);
        BenchContext.Log($"{scenario}: cluster ingest one instance {oneInstanceIngest.Rate:N0}, two dealerships over two {twoDealerships.Rate:N0}, " +
                         $"one dealership over two {oneDealershipSplit.Rate:N0} records/s");
        var clustered = await MeasureOpensAsync(chromium, one, [("instance 1", one), ("instance 2", two)], clients, opens, ctx.Repetitions);

        var singleP = Percentiles.Of(single["one instance"].SelectMany(r => r));
        var crossP = Percentiles.Of(clustered["instance 2"].SelectMany(r => r));
        var sameP = Percentiles.Of(clustered["instance 1"].SelectMany(r => r));
        var floorName = $"one embedded instance (SQLite, in-process events): Open → LiveEvent at {clients} clients";
        ctx.Report.Add(new Figure(scenario, $"Open on instance 1 → LiveEvent at {clients} /hubs/live clients on instance 2 (PostgreSQL, Redis)", "ms",
            crossP, singleP, floorName, [.. clustered["instance 2"].Select(Percentiles.Of)],
            "p99 ≤ 1.5× single", crossP.P99 <= 1.5 * singleP.P99,
            Note: "Open = a Chromium click on the chase list's Open (stamped in the page); the clients stamp the event's arrival on the same clock"));
        ctx.Report.Add(new Figure(scenario, $"Open on instance 1 → LiveEvent at {clients} /hubs/live clients on instance 1 itself (through Redis too)", "ms",
            sameP, singleP, floorName, [.. clustered["instance 1"].Select(Percentiles.Of)]));
        ctx.Report.Add(new Figure(scenario, $"ingest: {batches} × {batchSize:N0} records into each of two dealerships at once, one per instance", "ms",
            Percentiles.Of(twoDealerships.BatchMs), null, $"one instance, one dealership, {batches} × {batchSize:N0} one after another",
            [], Rate: twoDealerships.Rate, FloorRate: oneInstanceIngest.Rate, RateUnit: "records/s",
            Note: $"the embedded single instance (SQLite) took the same batches at {singleIngest.Rate:N0} records/s"));
        ctx.Report.Add(new Figure(scenario, $"ingest: one dealership's {2 * batches} batches split over both instances at once (serialised cluster-wide)", "ms",
            Percentiles.Of(oneDealershipSplit.BatchMs), null, $"one instance, one dealership, {batches} × {batchSize:N0} one after another",
            [], Rate: oneDealershipSplit.Rate, FloorRate: oneInstanceIngest.Rate, RateUnit: "records/s"));
        ctx.Report.Note($"cluster: embedded single instance ingest {singleIngest.Rate:N0} records/s (SQLite) in the same run");
    }

    /// <summary>
    /// Repeated Opens from one chase-list page on <paramref name="opener"/>; for each group of hub clients, the Open → event
    /// arrival times, one list per repetition.
    /// </summary>
    private static async Task<Dictionary<string, List<List<double>>>> MeasureOpensAsync(
        Chromium chromium, Uri opener, (string Label, Uri Site)[] groups, int clientsPerGroup, int opens, int repetitions)
    {
        var context = await chromium.SignInAsync(opener, "agent.north1");
        var page = await Chromium.OpenChaseListAsync(context);
        var recordId = await page.EvaluateAsync<int>(PickFree);
        if (recordId == 0) throw new InvalidOperationException("No free Northgate row on agent.north1's chase list");

        var receivers = new List<(string Label, Arrivals Arrivals, List<HubConnection> Connections)>();
        foreach (var (label, site) in groups)
        {
            var jars = new List<CookieContainer>();
            foreach (var user in Viewers) jars.Add(await LocalCluster.SignInAsync(site, user));
            var arrivals = new Arrivals(clientsPerGroup);
            var connections = new List<HubConnection>();
            var joined = new List<Task>();
            for (var i = 0; i < clientsPerGroup; i++)
            {
                var jar = jars[i % jars.Count];
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(site, "hubs/live"), o => { o.Cookies = jar; o.Transports = HttpTransportType.WebSockets; })
                    .Build();
                var index = i;
                connection.On<LiveEvent>("LiveEvent", e => { if (e.Kind == LiveEventKind.LockTaken && e.RecordId == recordId) arrivals.Receive(index); });
                var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                connection.On("Subscribed", () => subscribed.TrySetResult());
                joined.Add(subscribed.Task);
                connections.Add(connection);
            }
            await Task.WhenAll(connections.Select(c => c.StartAsync()));
            // StartAsync returns at the handshake; the hub joins the client to its dealership's group after that (an account
            // check in the database first). An Open before then is not heard: wait until every client says it has joined.
            await Task.WhenAll(joined).WaitAsync(TimeSpan.FromSeconds(60));
            receivers.Add((label, arrivals, connections));
        }

        var results = groups.ToDictionary(g => g.Label, _ => new List<List<double>>());
        try
        {
            await OpenOnceAsync(page, recordId, receivers); // warm-up, not measured
            for (var rep = 0; rep < repetitions; rep++)
            {
                var samples = groups.ToDictionary(g => g.Label, _ => new List<double>());
                for (var i = 0; i < opens; i++)
                    foreach (var (label, times) in await OpenOnceAsync(page, recordId, receivers))
                        samples[label].AddRange(times);
                foreach (var (label, list) in samples) results[label].Add(list);
                BenchContext.Log($"cluster: Open on {opener} rep {rep + 1}: " +
                                 string.Join(", ", samples.Select(s => $"{s.Key} {Percentiles.Of(s.Value)}")));
            }
        }
        finally
        {
            await Task.WhenAll(receivers.SelectMany(r => r.Connections).Select(c => c.DisposeAsync().AsTask()));
            await context.CloseAsync();
        }
        return results;
    }

    private static async Task<List<(string Label, List<double> Times)>> OpenOnceAsync(
        IPage page, int recordId, List<(string Label, Arrivals Arrivals, List<HubConnection> Connections)> receivers)
    {
        foreach (var r in receivers) r.Arrivals.Arm();
        var clickedAt = await page.EvaluateAsync<double>(ClickOpen, recordId);
        var measured = new List<(string, List<double>)>();
        foreach (var r in receivers) measured.Add((r.Label, (await r.Arrivals.WaitAsync(r.Label)).Select(t => t - clickedAt).ToList()));

        // Re-list, as the agent would, and back on the list with the row free before the next Open.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/csi/call/{recordId}$"), new() { Timeout = 30_000 });
        await page.GetByTestId("relist-button").ClickAsync();
        await Chromium.WaitChaseListAsync(page);
        await page.Locator($"tr:has([data-record-id='{recordId}']) [data-testid='lock-free']").WaitForAsync();
        await page.Locator($"tr:has([data-record-id='{recordId}']) [data-testid='open-button']:not([disabled])").WaitForAsync();
        await Task.Delay(100);
        return measured;
    }

    /// <summary>Arrival moments (system clock, Unix ms) of one event at many clients.</summary>
    private sealed class Arrivals(int count)
    {
        private readonly double[] _at = new double[count];
        private int _received;
        private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Arm()
        {
            Array.Clear(_at);
            _received = 0;
            _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Receive(int index)
        {
            var now = BenchContext.EpochMs();
            if (Interlocked.CompareExchange(ref _at[index], now, 0) == 0 && Interlocked.Increment(ref _received) == _at.Length)
                _all.TrySetResult();
        }

        /// <summary>The arrivals after at most 30 s; clients that heard nothing by then are left out (and logged).</summary>
        public async Task<double[]> WaitAsync(string label)
        {
            try { await _all.Task.WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (TimeoutException)
            {
                BenchContext.Log($"cluster: {label}: {Volatile.Read(ref _received)} of {_at.Length} clients heard the Open within 30 s");
            }
            return [.. _at.Where(t => t > 0)];
        }
    }

    private sealed record IngestRun(double Rate, List<double> BatchMs);

    /// <summary>
    /// <paramref name="batches"/> batches per site, posted one after another on each site while the sites run at once;
    /// site i's batches go to <paramref name="dealerships"/>[i]. Rate = every record over the wall time, over all repetitions.
    /// </summary>
    private static async Task<IngestRun> IngestAsync(Uri[] sites, string[] dealerships, int batches, int batchSize, int repetitions, int pass)
    {
        var perSite = sites.Select(s => new HttpClient { BaseAddress = s, Timeout = TimeSpan.FromMinutes(5) }).ToArray();
        try
        {
            var tokens = new string[sites.Length];
            for (var i = 0; i < sites.Length; i++)
            {
                tokens[i] = await TokenAsync(perSite[i]);
                await PostAsync(perSite[i], tokens[i], Batch(9, 80 + pass * 2 + i, 50, dealerships[i]), 50); // warm-up, not measured (batch numbers above any measured one)
            }
            List<double> batchMs = [];
            double records = 0, seconds = 0;
            for (var rep = 0; rep < repetitions; rep++)
            {
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, sites.Length).Select(async s =>
                {
                    for (var b = 0; b < batches; b++)
                    {
                        var body = Batch(pass + rep, s * batches + b, batchSize, dealerships[s]);
                        var start = Stopwatch.GetTimestamp();
                        await PostAsync(perSite[s], tokens[s], body, batchSize);
                        lock (batchMs) batchMs.Add(BenchContext.Ms(start, Stopwatch.GetTimestamp()));
                    }
                }));
                records += sites.Length * batches * batchSize;
                seconds += clock.Elapsed.TotalSeconds;
            }
            return new IngestRun(records / seconds, batchMs);
        }
        finally
        {
            foreach (var h in perSite) h.Dispose();
        }
    }

    private static async Task PostAsync(HttpClient http, string token, string body, int expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/csi/records") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Batch refused: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
        var created = JsonDocument.Parse(text).RootElement.GetProperty("counts").GetProperty("created").GetInt32();
        if (created != expected) throw new InvalidOperationException($"Batch created {created} of {expected}: {text[..Math.Min(300, text.Length)]}");
    }

    private static async Task<string> TokenAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/token",
            new Dictionary<string, string> { ["client_id"] = DatabaseInitializer.DemoApiClientId, ["client_secret"] = DatabaseInitializer.DemoApiClientSecret });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>New customers every time: FOCUS ids, phones, emails and registrations unique per pass and batch.</summary>
    private static string Batch(int pass, int batch, int size, string dealershipCode)
    {
        var at = DateTime.UtcNow.AddHours(-1);
        var records = Enumerable.Range(0, size).Select(i =>
        {
            var n = (pass * 100 + batch) * 1000 + i; // < 1,000,000: six digits
            return new Dictionary<string, object?>
            {
                ["focusRecordId"] = $"CLU-{pass}-{batch}-{i}",
                ["dealershipCode"] = dealershipCode,
                ["status"] = "Awaiting",
                ["statusChangedAt"] = at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
                ["score"] = 9,
                ["customer"] = new Dictionary<string, object?>
                {
                    ["title"] = "Ms", ["firstName"] = $"First{n}", ["lastName"] = $"Last{n}", ["email"] = $"cluster{n}@example.com",
                    ["phones"] = new[] { new Dictionary<string, object?> { ["number"] = $"07922 {n:D6}", ["type"] = "Mobile" } },
                },
                ["vehicle"] = new Dictionary<string, object?> { ["registration"] = $"CU{n:D6}", ["make"] = "Kestrel", ["model"] = "Aero" },
                ["eventType"] = "Service",
                ["eventDate"] = at.AddDays(-3).ToString("yyyy-MM-dd"),
            };
        });
        return JsonSerializer.Serialize(new { records }, Json);
    }
}
