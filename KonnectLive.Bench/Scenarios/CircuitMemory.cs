using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;
using Microsoft.Playwright;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// What an idle chase-list page costs the server: real Chromium pages (each its own circuit) signed in as a Northgate
/// agent, the managed heap measured after a full blocking GC at 10 pages and again at 40, (heap40 − heap10) / 30.
/// The app runs in this process, so the figure also holds the bench's own Playwright objects for each page (small
/// beside a circuit). Floor: the same for a bare Blazor Server page (BareBlazor: one component, no layout, no MudBlazor) on its
/// own server in this process; the home page (the layout alone) is reported beside the same floor.
/// Each measurement starts from a settled state: the previous pages closed, the app holding no circuit (the bench host keeps
/// no disconnected circuit, and waits for the count to reach zero), and the heap read after full, blocking, compacting GCs
/// (large-object heap included) until two reads agree.
/// </summary>
public static class CircuitMemory
{
    public static async Task RunAsync(BenchContext ctx)
    {
        const string scenario = "circuit memory";
        var app = await ctx.AppAsync();
        var chromium = await ctx.ChromiumAsync();
        var (few, many) = ctx.Quick ? (1, 2) : (10, 40);
        await using var bare = await BareBlazor.StartAsync(app.BaseAddress);

        Func<Task<IBrowserContext>> signedIn = () => chromium.SignInAsync(app.BaseAddress, "agent.north2");
        Func<Task<IBrowserContext>> anonymous = async () =>
        {
            var context = await chromium.Browser.NewContextAsync(new() { BaseURL = bare.BaseAddress.ToString() });
            context.SetDefaultTimeout(60_000);
            return context;
        };
        // Circuits of both servers: a measurement starts when neither holds any.
        Func<int> circuits = () => app.OpenCircuits + bare.OpenCircuits;
        var chaseList = new Site("/csi/chase-list", signedIn, circuits);
        var homePage = new Site("/", signedIn, circuits);
        var barePage = new Site("/bare", anonymous, circuits);

        // Warm-up, not measured: the first 40 pages grow what the app then keeps for any number of pages (pooled buffers,
        // serializer and query caches); without it the first repetition reads high and each later one lower.
        if (!ctx.Quick) // --quick only checks that the scenario produces its figures
        {
            await PerPageAsync(chaseList, few, many);
            await PerPageAsync(barePage, few, many);
            BenchContext.Log($"{scenario}: warm-up done ({many} chase-list and {many} bare pages opened and closed)");
        }

        List<double> chase = [], home = [], floor = [];
        for (var rep = 0; rep < ctx.Repetitions; rep++)
        {
            var dump = rep == 0; // KL_BENCH_GCDUMP_PAUSE pauses in the first repetition only
            chase.Add(await PerPageAsync(chaseList, few, many, dump));
            home.Add(await PerPageAsync(homePage, few, many, dump));
            floor.Add(await PerPageAsync(barePage, few, many, dump));
            BenchContext.Log($"{scenario} rep {rep + 1}: chase list {chase[^1] / 1024:N0} KB a page, home page {home[^1] / 1024:N0} KB, " +
                $"bare Blazor Server page {floor[^1] / 1024:N0} KB");
        }
        static List<double> Kb(List<double> bytes) => bytes.Select(b => b / 1024).ToList();
        var (chaseKb, homeKb, floorKb) = (Kb(chase), Kb(home), Kb(floor));
        var how = $"(heap{many} − heap{few}) / {many - few}, after a full GC";
        const string floorName = "a bare Blazor Server page (one component, no layout, no MudBlazor), same way";
        ctx.Report.Add(new Figure(scenario, $"server heap per idle chase-list page ({how})", "KB",
            Percentiles.Of(chaseKb), Percentiles.Of(floorKb), floorName, chaseKb.Select(k => Percentiles.Of([k])).ToList(), Target: "≤ 400 KB",
            Met: Percentiles.Of(chaseKb).P50 <= 400));
        ctx.Report.Add(new Figure(scenario, $"server heap per idle home page, layout only ({how})", "KB",
            Percentiles.Of(homeKb), Percentiles.Of(floorKb), floorName, homeKb.Select(k => Percentiles.Of([k])).ToList()));
    }

    /// <summary>Where the pages are: the path, a fresh browser profile for it (signed in or not), and the circuits open.</summary>
    private sealed record Site(string Path, Func<Task<IBrowserContext>> NewContext, Func<int> OpenCircuits);

    private static async Task<double> PerPageAsync(Site site, int few, int many, bool dump = false)
    {
        await NoCircuitsLeftAsync(site);
        var context = await site.NewContext();
        try
        {
            await OpenAsync(context, site.Path, few);
            var heapFew = await HeapAfterFullGcAsync();
            if (dump) await PauseForDumpAsync(site, few);
            await OpenAsync(context, site.Path, many - few);
            var heapMany = await HeapAfterFullGcAsync();
            BenchContext.Log($"circuit memory: {site.OpenCircuits()} circuits open with {many} pages of {site.Path}");
            if (dump) await PauseForDumpAsync(site, many);
            return (heapMany - heapFew) / (double)(many - few);
        }
        finally
        {
            // Closing each page with its unload handlers run sends Blazor's disconnect beacon; closing only the context
            // drops the sockets, which the server notices later (then, with no disconnected circuit retained, disposes).
            foreach (var page in context.Pages.ToList())
                await page.CloseAsync(new() { RunBeforeUnload = true });
            await context.CloseAsync();
        }
    }

    /// <summary>
    /// For finding what a circuit holds: KL_BENCH_GCDUMP_PAUSE=60 leaves the pages open (at 10 and again at 40, after the heap
    /// read) while `dotnet-gcdump collect -p &lt;pid&gt;` runs; diff the two reports by type and divide by 30.
    /// </summary>
    private static async Task PauseForDumpAsync(Site site, int pages)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("KL_BENCH_GCDUMP_PAUSE"), out var pause)) return;
        BenchContext.Log($"circuit memory: GCDUMP {pages} pages of {site.Path} open; pausing {pause} s for a heap dump of process {Environment.ProcessId}");
        await Task.Delay(TimeSpan.FromSeconds(pause));
    }

    /// <summary>Waits until the server holds no circuit (at most 90 s: a dropped socket is noticed within SignalR's 30 s client timeout).</summary>
    private static async Task NoCircuitsLeftAsync(Site site)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (site.OpenCircuits() > 0 && started.Elapsed < TimeSpan.FromSeconds(90))
            await Task.Delay(250);
        if (site.OpenCircuits() > 0)
            BenchContext.Log($"circuit memory: {site.OpenCircuits()} circuits still open after 90 s; measuring anyway");
        else if (started.Elapsed > TimeSpan.FromSeconds(1))
            BenchContext.Log($"circuit memory: the previous pages' circuits took {started.Elapsed.TotalSeconds:N1} s to go");
    }

    private static async Task OpenAsync(IBrowserContext context, string path, int count)
    {
        // Five at a time: enough to be quick, few enough not to time out on a loaded 2-core machine.
        for (var opened = 0; opened < count; opened += 5)
            await Task.WhenAll(Enumerable.Range(0, Math.Min(5, count - opened)).Select(async _ =>
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(path);
                await page.Locator("#circuit-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                if (path.Contains("chase-list")) await page.Locator("[data-testid='customer-name']").First.WaitForAsync();
            }));
    }

    private static async Task<long> HeapAfterFullGcAsync()
    {
        await Task.Delay(1_500); // let the pages' first renders and their reloads finish
        long previous = -1;
        for (var i = 0; i < 5; i++)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            if (previous >= 0 && Math.Abs(heap - previous) < 64 * 1024) return heap; // settled: two reads within 64 KB
            previous = heap;
            await Task.Delay(500);
        }
        return previous;
    }
}
