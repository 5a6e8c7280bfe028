using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;
using Microsoft.Playwright;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// What an idle chase-list page costs the server: real Chromium pages (each its own circuit) signed in as a Northgate
/// agent, the managed heap measured after a full blocking GC at 10 pages and again at 40, (heap40 − heap10) / 30.
/// The app runs in this process, so the figure also holds the bench's own Playwright objects for each page (small
/// beside a circuit). Floor: the same for the home page (the layout, no grid, no live subscription).
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

        // Warm-up, not measured: the first 40 pages grow what the app then keeps for any number of pages (pooled buffers,
        // serializer and query caches); without it the first repetition reads high and each later one lower.
        if (!ctx.Quick) // --quick only checks that the scenario produces its figures
        {
            await PerPageAsync(chromium, app, "/csi/chase-list", few, many);
            BenchContext.Log($"{scenario}: warm-up done ({many} chase-list pages opened and closed)");
        }

        List<double> chase = [], home = [];
        for (var rep = 0; rep < ctx.Repetitions; rep++)
        {
            chase.Add(await PerPageAsync(chromium, app, "/csi/chase-list", few, many));
            home.Add(await PerPageAsync(chromium, app, "/", few, many));
            BenchContext.Log($"{scenario} rep {rep + 1}: chase list {chase[^1] / 1024:N0} KB a page, home page {home[^1] / 1024:N0} KB a page");
        }
        var chaseKb = chase.Select(b => b / 1024).ToList();
        var homeKb = home.Select(b => b / 1024).ToList();
        ctx.Report.Add(new Figure(scenario, $"server heap per idle chase-list page ((heap{many} − heap{few}) / {many - few}, after a full GC)", "KB",
            Percentiles.Of(chaseKb), Percentiles.Of(homeKb), "the same for the home page (layout only)",
            chaseKb.Select(k => Percentiles.Of([k])).ToList()));
    }

    private static async Task<double> PerPageAsync(Chromium chromium, BenchApp app, string path, int few, int many)
    {
        await NoCircuitsLeftAsync(app);
        var context = await chromium.SignInAsync(app.BaseAddress, "agent.north2");
        try
        {
            await OpenAsync(context, path, few);
            var heapFew = await HeapAfterFullGcAsync();
            await OpenAsync(context, path, many - few);
            var heapMany = await HeapAfterFullGcAsync();
            BenchContext.Log($"circuit memory: {app.OpenCircuits} circuits open with {many} pages of {path}");
            // For finding what a circuit holds: KL_BENCH_GCDUMP_PAUSE=120 leaves the pages open while `dotnet-gcdump collect -p <pid>` runs.
            if (path.Contains("chase-list") && int.TryParse(Environment.GetEnvironmentVariable("KL_BENCH_GCDUMP_PAUSE"), out var pause))
            {
                BenchContext.Log($"circuit memory: {many} chase-list pages open; pausing {pause} s for a heap dump of process {Environment.ProcessId}");
                await Task.Delay(TimeSpan.FromSeconds(pause));
            }
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

    /// <summary>Waits until the app holds no circuit (at most 90 s: a dropped socket is noticed within SignalR's 30 s client timeout).</summary>
    private static async Task NoCircuitsLeftAsync(BenchApp app)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (app.OpenCircuits > 0 && started.Elapsed < TimeSpan.FromSeconds(90))
            await Task.Delay(250);
        if (app.OpenCircuits > 0)
            BenchContext.Log($"circuit memory: {app.OpenCircuits} circuits still open after 90 s; measuring anyway");
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
