using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;
using Microsoft.Playwright;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// The embedded default from cold: `dotnet KonnectLive.Desktop.dll`, a fresh data folder (so migrations, demo data and
/// Quartz's schema all happen) and a free port; timed from Process.Start to the first 200 on /account/login (polled every
/// 10 ms) and to a chase list whose circuit is interactive in Chromium (sign-in included). Then the everyday start: the
/// same app stopped and started again on that data folder (migrations applied, demo data present), to the first 200.
/// Each is measured for the build output (IL, compiled by the JIT as it runs) and, except in --quick, for a
/// `dotnet publish -r &lt;rid&gt;` output (ReadyToRun: the dependencies' code precompiled), which the bench publishes itself.
/// Floor: this bench's own executable as a bare ASP.NET Core app that answers 200 (the runtime and Kestrel alone).
/// </summary>
public static class StartUp
{
    /// <summary>A published app serves its static files from its content root (the working directory), so it runs from its
    /// own folder, as a deployment does; the build output finds them through the static web assets manifest.</summary>
    private sealed record Output(string Label, string Dll, bool RunsFromItsFolder = false)
    {
        public List<double> First { get; } = [];
        public List<double> Interactive { get; } = [];
        public List<double> Restart { get; } = [];
    }

    public static async Task RunAsync(BenchContext ctx)
    {
        const string scenario = "start-up";
        List<Output> outputs = [new("build output", DesktopDll())];
        if (!ctx.Quick && await PublishReadyToRunAsync() is { } published) outputs.Add(new("ReadyToRun publish", published, RunsFromItsFolder: true));
        var chromium = await ctx.ChromiumAsync();
        List<double> floor = [];
        for (var rep = 0; rep < ctx.Repetitions; rep++)
        {
            foreach (var output in outputs)
            {
                var data = Directory.CreateTempSubdirectory("konnectlive-startup-").FullName;
                try
                {
                    var url = new Uri($"http://127.0.0.1:{FreePort()}/");
                    var clock = Stopwatch.StartNew();
                    using (var process = StartApp(output, url, data))
                    {
                        try
                        {
                            output.First.Add(await FirstOkAsync(new Uri(url, "account/login"), clock, process));
                            var context = await chromium.SignInAsync(url, "agent.north1");
                            var page = await context.NewPageAsync();
                            await page.GotoAsync("/csi/chase-list");
                            await page.Locator("#circuit-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                            output.Interactive.Add(clock.Elapsed.TotalMilliseconds);
                            await context.CloseAsync();
                        }
                        finally
                        {
                            Stop(process);
                        }
                    }

                    // The everyday start: the same database, migrated and seeded by the start above.
                    url = new Uri($"http://127.0.0.1:{FreePort()}/");
                    clock = Stopwatch.StartNew();
                    using var again = StartApp(output, url, data);
                    try
                    {
                        output.Restart.Add(await FirstOkAsync(new Uri(url, "account/login"), clock, again));
                    }
                    finally
                    {
                        Stop(again);
                    }
                }
                finally
                {
                    try { Directory.Delete(data, true); } catch (IOException) { }
                }
                BenchContext.Log($"{scenario} rep {rep + 1}, {output.Label}: first 200 {output.First[^1]:N0} ms, interactive chase list " +
                    $"{output.Interactive[^1]:N0} ms, restart → first 200 {output.Restart[^1]:N0} ms");
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
            BenchContext.Log($"{scenario} rep {rep + 1}: bare app {floor[^1]:N0} ms");
        }
        var floorP = Percentiles.Of(floor);
        const string floorName = "bare ASP.NET Core app, start → first 200";
        foreach (var output in outputs)
        {
            var firstP = Percentiles.Of(output.First);
            var restartP = Percentiles.Of(output.Restart);
            ctx.Report.Add(new Figure(scenario, $"{output.Label}: process start → first 200 on /account/login (fresh data folder)", "ms", firstP, floorP,
                floorName, output.First.Select(f => Percentiles.Of([f])).ToList(), "≤ 3 s", firstP.P50 <= 3_000, Note: "target read on the median start"));
            ctx.Report.Add(new Figure(scenario, $"{output.Label}: process start → interactive chase list in Chromium (sign-in included)", "ms",
                Percentiles.Of(output.Interactive), floorP, floorName, output.Interactive.Select(f => Percentiles.Of([f])).ToList()));
            ctx.Report.Add(new Figure(scenario, $"{output.Label}: restart on the existing database → first 200 on /account/login", "ms", restartP, floorP,
                floorName, output.Restart.Select(f => Percentiles.Of([f])).ToList(), "≤ 3 s", restartP.P50 <= 3_000, Note: "target read on the median start"));
        }
    }

    private static Process StartApp(Output output, Uri url, string data) =>
        Start("dotnet", [output.Dll, "--urls", url.ToString().TrimEnd('/'), "--Storage:SqlitePath", Path.Combine(data, "konnectlive.db"),
            "--Storage:SeedDemoData", "true", "--Logging:LogLevel:Default", "Warning"], // demo users sign in: seeded outside Development only when asked
            output.RunsFromItsFolder ? Path.GetDirectoryName(output.Dll)! : data);

    /// <summary>
    /// `dotnet publish -r &lt;this machine's rid&gt;` of the app into artifacts/bench/publish (ReadyToRun: KonnectLive.Desktop.csproj
    /// turns it on for a runtime-specific publish; incremental after the first). Null, with the reason logged, when it fails.
    /// </summary>
    private static async Task<string?> PublishReadyToRunAsync()
    {
        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var output = Path.Combine(root, "artifacts", "bench", "publish");
        var dll = Path.Combine(output, "KonnectLive.Desktop.dll");
        // Up to date when published after the build output this bench starts was built (a publish takes minutes on a busy machine).
        var built = Path.GetDirectoryName(DesktopDll())!;
        if (File.Exists(dll) && new[] { "KonnectLive.Desktop.dll", "KonnectLive.Core.dll" }
                .All(f => File.GetLastWriteTimeUtc(Path.Combine(built, f)) <= File.GetLastWriteTimeUtc(dll)))
        {
            BenchContext.Log($"start-up: the ReadyToRun output is newer than the build output: not published again ({output})");
            return dll;
        }
        var clock = Stopwatch.StartNew();
        using var publish = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(root, "KonnectLive.Desktop", "KonnectLive.Desktop.csproj"), "-c", configuration,
             "-r", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-o", output, "-nologo", "-v:q"])
        { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode == 0 && File.Exists(dll))
        {
            BenchContext.Log($"start-up: published the ReadyToRun output in {clock.Elapsed.TotalSeconds:N0} s ({output})");
            return dll;
        }
        BenchContext.Log($"start-up: the ReadyToRun publish failed (exit {publish.ExitCode}); only the build output is measured. {await stdout}{await stderr}");
        return null;
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
