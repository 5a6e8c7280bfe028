using System.Diagnostics;
using System.Runtime.InteropServices;
using KonnectLive.Bench.Reporting;
using KonnectLive.Bench.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Bench;

/// <summary>
/// `dotnet run --project KonnectLive.Bench -c Release [-- --quick] [--only name,name] [--cluster]`: every scenario, one table,
/// artifacts/bench/latest.json and latest.md. Exit code 0 when every scenario produced its figures (not how fast).
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        // The start-up scenario's floor: this executable as the barest ASP.NET Core app.
        if (args is ["--floor-server", var port])
        {
            var bare = WebApplication.CreateSlimBuilder();
            bare.Logging.ClearProviders();
            bare.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var site = bare.Build();
            site.MapGet("/", () => "ok");
            await site.RunAsync();
            return 0;
        }

        var quick = args.Contains("--quick");
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? [];
        var scenarios = new (string Name, Func<BenchContext, Task> Run)[]
        {
            ("start-up", StartUp.RunAsync),
            ("lock visibility", LockVisibility.RunAsync),
            ("contention", Contention.RunAsync),
            ("ingest", Ingest.RunAsync),
            ("messages", Messages.RunAsync),
            ("circuit memory", CircuitMemory.RunAsync),
            ("chase list at scale", ChaseListAtScale.RunAsync),
        };
        // --cluster: scale-out's own run (it starts PostgreSQL, Redis, two instances and nginx), written apart from the default run.
        var cluster = args.Contains("--cluster");
        if (cluster) scenarios = [("cluster", ClusterScaleOut.RunAsync)];

        var selected = scenarios.Where(s => only.Length == 0 || only.Any(o => s.Name.StartsWith(o, StringComparison.OrdinalIgnoreCase))).ToArray();
        var loadAtStart = MachineInfo.LoadAverage();
        var started = DateTime.UtcNow;
        var report = new Report();
        var total = Stopwatch.StartNew();
        await using (var ctx = new BenchContext(quick, report))
        {
            foreach (var (name, run) in selected)
            {
                var before = report.Figures.Count;
                var sw = Stopwatch.StartNew();
                BenchContext.Log($"{name}: starting");
                try
                {
                    await run(ctx);
                    if (report.Figures.Skip(before).Any(f => !f.HasFigures) || report.Figures.Count == before)
                        report.Fail(name, new InvalidOperationException("produced no figures"));
                }
                catch (Exception ex)
                {
                    BenchContext.Log($"{name} failed: {ex}");
                    report.Fail(name, ex);
                }
                BenchContext.Log($"{name}: {sw.Elapsed.TotalSeconds:N0} s");
            }
        }

        var root = StartUp.RepositoryRoot();
        var machine = new MachineInfo(Environment.ProcessorCount, loadAtStart, MachineInfo.LoadAverage(), RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, started, GitCommit(root), quick);
        // --quick (test.sh) keeps its own files, so it never replaces the last full run.
        await report.WriteAsync(Path.Combine(root, "artifacts", "bench"), cluster ? (quick ? "cluster-quick" : "cluster") : quick ? "quick" : "latest", machine);
        Console.WriteLine(report.Markdown(machine));
        Console.WriteLine($"bench: {selected.Length - report.Failures.Count} of {selected.Length} scenarios produced their figures in {total.Elapsed.TotalSeconds:N0} s" +
                          (report.Failures.Count > 0 ? $"; failed: {string.Join("; ", report.Failures)}" : ""));
        return report.Failures.Count == 0 ? 0 : 1;
    }

    private static string GitCommit(string root)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
