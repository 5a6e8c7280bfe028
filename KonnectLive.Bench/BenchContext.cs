using System.Diagnostics;
using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;

namespace KonnectLive.Bench;

/// <summary>What every scenario shares: the sizes, the report, the hosted app and the browser (started on first use).</summary>
public sealed class BenchContext(bool quick, Report report) : IAsyncDisposable
{
    public bool Quick { get; } = quick;
    public Report Report { get; } = report;
    public int Repetitions => Quick ? 1 : 3;

    /// <summary>Customers of the bench dealership in the hosted app (the contention and messages scenarios use them).</summary>
    public int BenchCustomers => 1_000;
    public const int BenchIdBase = 10_000_000;

    private BenchApp? _app;
    private Chromium? _chromium;
    public int BenchDealershipId { get; private set; }

    public async Task<BenchApp> AppAsync()
    {
        if (_app is not null) return _app;
        var sw = Stopwatch.StartNew();
        _app = await BenchApp.StartAsync();
        await using (var c = _app.OpenDatabase())
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"SELECT Id FROM Dealerships WHERE Code = '{Dataset.BenchDealershipCode}'";
            BenchDealershipId = (int)(long)(await cmd.ExecuteScalarAsync())!;
        }
        await Dataset.AddAwaitingAsync(_app.DatabasePath, BenchDealershipId, BenchCustomers, BenchIdBase, "BEN");
        Log($"app started on {_app.BaseAddress} with demo data + {BenchCustomers:N0} bench customers in {sw.ElapsedMilliseconds} ms");
        return _app;
    }

    public async Task<Chromium> ChromiumAsync() => _chromium ??= await Chromium.LaunchAsync();

    public static void Log(string message) => Console.Error.WriteLine($"[bench {DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>Milliseconds between two Stopwatch timestamps.</summary>
    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    /// <summary>Now, in Unix milliseconds with a fraction: the clock a browser's performance.timeOrigin + now() is on.</summary>
    public static double EpochMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_app is not null) await _app.DisposeAsync();
    }
}
