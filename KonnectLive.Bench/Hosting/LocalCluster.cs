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
        cluster._script.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cluster._output) cluster._output.Add(e.Data); };
        cluster._script.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { ready.TrySetException(new InvalidOperationException("The cluster script ended:\n" + cluster.Output)); return; }
            lock (cluster._output) cluster._output.Add(e.Data);
            if (e.Data.StartsWith("Press Ctrl-C")) ready.TrySetResult();
        };
        cluster._script.BeginOutputReadLine();
        cluster._script.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(3));

        string Line(string prefix) { lock (cluster._output) return cluster._output.First(l => l.StartsWith(prefix))[prefix.Length..].Trim(); }
        cluster.LoadBalancer = new Uri(Line("load balancer:"));
        cluster.Instances = [new Uri(Line("instance 1:").Split(' ')[0]), new Uri(Line("instance 2:").Split(' ')[0])];
        return cluster;
    }

    private string Output { get { lock (_output) return string.Join('\n', _output); } }

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
