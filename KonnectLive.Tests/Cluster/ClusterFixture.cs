using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using KonnectLive.Core;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace KonnectLive.Tests.Cluster;

/// <summary>
/// One local cluster per test run, shared by the cluster tests: <c>deploy/run-local-cluster.sh</c> (PostgreSQL when the
/// build has it, Redis, two app processes, nginx) exactly as a user starts it, plus a fake SMS gateway on 127.0.0.1,
/// Debian's Chromium, and a service provider on the cluster's database for the tests' own data.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private Process? _script;
    private ServiceProvider? _services;
    private readonly List<string> _output = [];
    private readonly List<int> _restarted = [];

    public Uri LoadBalancer { get; private set; } = null!;
    public Uri[] Instances { get; private set; } = [];
    public string WorkDir { get; private set; } = "";
    /// <summary>The cluster's PostgreSQL port (null on SQLite): <see cref="ClusterCpu"/> finds its server by it.</summary>
    public int? DatabasePort { get; private set; }
    public SmsGateway Gateway { get; } = new();
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public IServiceProvider Services => _services!;

    public async Task InitializeAsync()
    {
        Gateway.Start();
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "deploy", "run-local-cluster.sh"), "--",
            "--Locking:LeaseSeconds=6", "--Locking:RenewEverySeconds=2", "--Locking:SweepEverySeconds=1",
            "--Messaging:DispatchEverySeconds=1", "--Messaging:ClaimLeaseSeconds=4",
            "--Messaging:Sms:Sender=Http", $"--Messaging:Sms:GatewayUrl={Gateway.Url}send", "--Messaging:Sms:TimeoutSeconds=60",
            "--Logging:LogLevel:Default=Warning", "--Storage:SeedDemoData=true"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["KL_CLUSTER_NO_BUILD"] = "1", ["KL_CLUSTER_CONFIGURATION"] = configuration },
        };
        _script = Process.Start(start)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _script.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _script.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { ready.TrySetException(new InvalidOperationException("The cluster script ended:\n" + Output)); return; }
            lock (_output) _output.Add(e.Data);
            if (e.Data.StartsWith("Press Ctrl-C")) ready.TrySetResult();
        };
        _script.BeginOutputReadLine();
        _script.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(6)); // a loaded 2-core box: the script allows each instance 300 s

        string Line(string prefix) => _output.First(l => l.StartsWith(prefix))[prefix.Length..].Trim();
        LoadBalancer = new Uri(Line("load balancer:"));
        Instances = [new Uri(Line("instance 1:").Split(' ')[0]), new Uri(Line("instance 2:").Split(' ')[0])];
        WorkDir = Line("workdir:");
        var settings = Line("database:").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.TrimStart('-').Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
        if (settings.GetValueOrDefault("ConnectionStrings:KonnectLive") is { } cs
            && Regex.Match(cs, @"Port=(\d+)") is { Success: true } port) DatabasePort = int.Parse(port.Groups[1].Value);

        // The tests' own data goes straight into the cluster's database, as TestData does for the single app.
        var services = new ServiceCollection();
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddKonnectLiveCore(config);
        services.AddIdentityCore<AppUser>(o => o.Password.RequiredLength = 10).AddRoles<IdentityRole>().AddEntityFrameworkStores<KonnectDbContext>();
        _services = services.BuildServiceProvider();

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("KL_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(global::KonnectLive.Tests.Browser.BrowserFixture.ScreenshotDir);
    }

    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    /// <summary>The process id of instance <paramref name="n"/> (1-based), as its launcher last wrote it.</summary>
    public int Pid(int n) => int.Parse(File.ReadAllText(Path.Combine(WorkDir, $"instance-{n}.pid")).Trim());

    public int InstanceOfPid(int pid) => Enumerable.Range(1, Instances.Length).First(n => Pid(n) == pid);

    /// <summary>Starts instance <paramref name="n"/> again from its launcher (same port, same settings) and waits until it is ready.</summary>
    public async Task RestartAsync(int n)
    {
        var launcher = Path.Combine(WorkDir, $"instance-{n}.sh");
        using var process = Process.Start(new ProcessStartInfo("setsid", [launcher]) { UseShellExecute = false })!;
        await File.WriteAllTextAsync(Path.Combine(WorkDir, $"instance-{n}.pid"), process.Id.ToString());
        _restarted.Add(process.Id);
        await WaitReadyAsync(Instances[n - 1], TimeSpan.FromSeconds(90));
    }

    public static async Task WaitReadyAsync(Uri instance, TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if ((await http.GetAsync(new Uri(instance, "health/ready"))).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{instance} was not ready within {within}");
    }

    /// <summary>
    /// A kl_node cookie value that nginx's consistent hash sends to instance <paramref name="n"/>: found by asking the load
    /// balancer which upstream answered (X-KonnectLive-Upstream), as an operator checks stickiness.
    /// </summary>
    public async Task<string> AffinityForAsync(int n)
    {
        var target = $"{Instances[n - 1].Host}:{Instances[n - 1].Port}";
        for (var i = 0; i < 200; i++)
        {
            var value = $"test-{n}-{i}";
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(LoadBalancer, "health/live"));
            request.Headers.Add("Cookie", $"kl_node={value}");
            using var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("X-KonnectLive-Upstream", out var up) && up.First() == target) return value;
        }
        throw new InvalidOperationException($"No affinity value reached instance {n}");
    }

    /// <summary>A browser profile that nginx routes to instance <paramref name="n"/>, signed in as <paramref name="userName"/> through the load balancer.</summary>
    public async Task<global::KonnectLive.Tests.Browser.AgentSession> SignInAsync(string userName, int n)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = LoadBalancer.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "kl_node", Value = await AffinityForAsync(n), Domain = LoadBalancer.Host, Path = "/" }]);
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = 20_000 });
        return new global::KonnectLive.Tests.Browser.AgentSession(context, page);
    }

    /// <summary>An HttpClient with its own cookies, signed in through instance <paramref name="n"/>'s login form (no load balancer).</summary>
    public async Task<SignedInClient> SignInHttpAsync(string userName, int n)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = Instances[n - 1] };
        var response = await AppFixture.PostLoginAsync(client, userName, DemoData.Password);
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in as {userName} failed: {(int)response.StatusCode}");
        return new SignedInClient(client, cookies);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        if (_script is { HasExited: false })
        {
            // SIGTERM, as a user's Ctrl-C: the script stops what it started.
            Process.Start("kill", ["-TERM", _script.Id.ToString()])?.WaitForExit();
            if (!_script.WaitForExit(30_000)) _script.Kill(entireProcessTree: true);
        }
        _script?.Dispose();
        // The script stops restarted instances too (their pid files); this is the backstop if it could not.
        foreach (var pid in _restarted)
        {
            try { using var p = Process.GetProcessById(pid); p.Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
        if (_services is not null) await _services.DisposeAsync();
        Gateway.Dispose();
    }
}

/// <summary>Alone, after the parallel collections: the cluster's own start (PostgreSQL, Redis, two instances, nginx) and its
/// 5-second promises should not share two cores with a browser test and the messages figure's restarts.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
