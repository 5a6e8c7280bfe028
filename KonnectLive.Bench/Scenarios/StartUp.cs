using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;
using Microsoft.Playwright;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// The embedded default from cold: `dotnet KonnectLive.Desktop.dll` from the build output, a fresh data folder (so
/// migrations, demo data and Quartz's schema all happen) and a free port; timed from Process.Start to the first 200 on
/// /account/login (polled every 10 ms) and to a chase list whose circuit is interactive in Chromium (sign-in included).
/// Floor: this bench's own executable as a bare ASP.NET Core app that answers 200 (the runtime and Kestrel alone).
/// </summary>
public static class StartUp
{
    public static async Task RunAsync(BenchContext ctx)
    {
        const string scenario = "start-up";
        var dll = DesktopDll();
        var chromium = await ctx.ChromiumAsync();
        List<double> first = [], interactive = [], floor = [];
        for (var rep = 0; rep < ctx.Repetitions; rep++)
        {
            var data = Directory.CreateTempSubdirectory("konnectlive-startup-").FullName;
            var port = FreePort();
            var url = new Uri($"http://127.0.0.1:{port}/");
            var clock = Stopwatch.StartNew();
            using var process = Start("dotnet", [dll, "--urls", url.ToString().TrimEnd('/'), "--Storage:SqlitePath", Path.Combine(data, "konnectlive.db"),
                "--Storage:SeedDemoData", "true", "--Logging:LogLevel:Default", "Warning"], data); // demo users sign in: seeded outside Development only when asked
            try
            {
                first.Add(await FirstOkAsync(new Uri(url, "account/login"), clock, process));
                var context = await chromium.SignInAsync(url, "agent.north1");
                var page = await context.NewPageAsync();
                await page.GotoAsync("/csi/chase-list");
                await page.Locator("#circuit-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                interactive.Add(clock.Elapsed.TotalMilliseconds);
                await context.CloseAsync();
            }
            finally
            {
                Stop(process);
                try { Directory.Delete(data, true); } catch (IOException) { }
            }

            var floorPort = FreePort();
            var floorClock = Stopwatch.StartNew();
            using var bare = Start("dotnet", [typeof(StartUp).Assembly.Location, "--floor-server", floorPort.ToString()], Path.GetTempPath());
            try
            {
                floor.Add(await FirstOkAsync(new Uri($"http://127.0.0.1:{floorPort}/"), floorClock, bare));
            }
            finally
            {
                Stop(bare);
            }
            BenchContext.Log($"{scenario} rep {rep + 1}: first 200 {first[^1]:N0} ms, interactive chase list {interactive[^1]:N0} ms; bare app {floor[^1]:N0} ms");
        }
        var floorP = Percentiles.Of(floor);
        var firstP = Percentiles.Of(first);
        ctx.Report.Add(new Figure(scenario, "process start → first 200 on /account/login (fresh data folder)", "ms", firstP, floorP,
            "bare ASP.NET Core app, start → first 200", first.Select(f => Percentiles.Of([f])).ToList(), "≤ 3 s", firstP.P50 <= 3_000,
            Note: "target read on the median start"));
        ctx.Report.Add(new Figure(scenario, "process start → interactive chase list in Chromium (sign-in included)", "ms", Percentiles.Of(interactive), floorP,
            "bare ASP.NET Core app, start → first 200", interactive.Select(f => Percentiles.Of([f])).ToList()));
    }

    /// <summary>The app's own build output, beside this bench's (same configuration).</summary>
    private static string DesktopDll()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = bin.Name;                 // net10.0
        var configuration = bin.Parent!.Name;     // Release
        var root = RepositoryRoot();
        var dll = Path.Combine(root, "KonnectLive.Desktop", "bin", configuration, framework, "KonnectLive.Desktop.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build KonnectLive.Desktop first", dll);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KonnectLive.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    private static Process Start(string file, string[] args, string workingDirectory)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrEmpty(e.Data)) BenchContext.Log($"  [{Path.GetFileNameWithoutExtension(args[0])}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    private static async Task<double> FirstOkAsync(Uri url, Stopwatch clock, Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited) throw new InvalidOperationException($"{url} process exited with {process.ExitCode} before answering");
            try
            {
                using var response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK) return clock.Elapsed.TotalMilliseconds;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(10);
        }
        throw new TimeoutException($"{url} did not answer 200 within 3 minutes");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
