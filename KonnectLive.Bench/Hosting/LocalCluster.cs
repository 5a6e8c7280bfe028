using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using KonnectLive.Bench.Scenarios;
using KonnectLive.Core.Data;

namespace KonnectLive.Bench.Hosting;

/// <summary>
/// Two KonnectLive processes on PostgreSQL and Redis behind nginx, started by <c>deploy/run-local-cluster.sh</c> exactly
/// as an operator tries scale-out on one box (with this build, demo data, warnings-only logging), and stopped with
/// SIGTERM as a Ctrl-C would.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private Process _script = null!;
    private readonly List<string> _output = [];

    public Uri LoadBalancer { get; private set; } = null!;
    public Uri[] Instances { get; private set; } = [];

    public static async Task<LocalCluster> StartAsync()
    {
        var cluster = new LocalCluster();
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var start = new ProcessStartInfo("bash", [Path.Combine(StartUp.RepositoryRoot(), "deploy", "run-local-cluster.sh"), "--",
            "--Storage:SeedDemoData=true", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.AspNetCore=Error",
            // Many sign-ins and batches from one address (the bench) are set-up, not an attack.
            "--InboundApi:TokenRequestsPerMinute=1000", "--InboundApi:RecordRequestsPerMinute=10000"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["KL_CLUSTER_NO_BUILD"] = "1", ["KL_CLUSTER_CONFIGURATION"] = configuration },
        };
        cluster._script = Process.Start(start)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster._script.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (cluster._output) cluster._output.Add(e.Data);
            // The script's own steps (PostgreSQL, Redis, migrating …), so a slow start shows where it is.
            if (Steps.Any(e.Data.StartsWith)) BenchContext.Log($"local cluster: {e.Data}");
        };
        cluster._script.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { ready.TrySetException(new InvalidOperationException("The cluster script ended:\n" + cluster.Output)); return; }
            lock (cluster._output) cluster._output.Add(e.Data);
            if (e.Data.StartsWith("Press Ctrl-C")) ready.TrySetResult();
        };
        cluster._script.BeginOutputReadLine();
        cluster._script.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(StartTimeout);
        }
        catch (Exception e)
        {
            // Stop what the script started (it stops its own children on SIGTERM) before saying why.
            await cluster.DisposeAsync();
            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
            throw new InvalidOperationException(e is TimeoutException
                ? $"The local cluster was not ready within {StartTimeout.TotalMinutes:N0} minutes (load average {load}); the script's last lines:\n{cluster.Tail(15)}"
                : e.Message, e);
        }

        string Line(string prefix) { lock (cluster._output) return cluster._output.First(l => l.StartsWith(prefix))[prefix.Length..].Trim(); }
        cluster.LoadBalancer = new Uri(Line("load balancer:"));
        cluster.Instances = [new Uri(Line("instance 1:").Split(' ')[0]), new Uri(Line("instance 2:").Split(' ')[0])];
        return cluster;
    }

    /// <summary>
    /// PostgreSQL's first start, the migration and two instances seeding and starting one after the other: about a minute on
    /// a quiet 2-core box, more than three at a load average of 50 (the 2026-11-30 18:41 run timed out at three).
    /// </summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    private static readonly string[] Steps = ["Installing", "Building", "PostgreSQL on", "Redis on", "Migrating", "instance ", "Stopping"];

    private string Output { get { lock (_output) return string.Join('\n', _output); } }

    private string Tail(int lines) { lock (_output) return string.Join('\n', _output.TakeLast(lines)); }

    /// <summary>An HttpClient with its own cookie jar, signed in through <paramref name="site"/>'s log-in form.</summary>
    public static async Task<CookieContainer> SignInAsync(Uri site, string userName)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = site };
        var page = await client.GetStringAsync("/account/login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = DemoData.Password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {userName} at {site} failed: {(int)response.StatusCode}");
        return cookies;
    }

    public async ValueTask DisposeAsync()
    {
        if (_script is null) return;
        if (!_script.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _script.Id.ToString()])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _script.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _script.Kill(entireProcessTree: true); }
        }
        _script.Dispose();
    }
}
