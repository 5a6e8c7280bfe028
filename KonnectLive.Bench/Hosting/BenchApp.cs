using System.Net;
using System.Text.RegularExpressions;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Bench.Hosting;

/// <summary>
/// The real app, in this process, on Kestrel at 127.0.0.1 (as the tests' AppFixture hosts it): a fresh data folder, the
/// demo data the app seeds itself, the embedded default's settings (leases, dispatcher every 2 s), warnings-only logging.
/// Services resolved here are the app's own singletons — the ones its pages call.
/// </summary>
public sealed class BenchApp : WebApplicationFactory<global::Program>
{
    private readonly string _dir = Directory.CreateTempSubdirectory("konnectlive-bench-").FullName;

    public string DatabasePath => Path.Combine(_dir, "konnectlive.db");
    public Uri BaseAddress { get; private set; } = null!;

    public BenchApp() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Storage:SqlitePath", DatabasePath);
        builder.UseSetting("Storage:SeedDemoData", "true");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        // The ingest's per-batch breakdown (where a batch's time goes) is part of what the bench reports.
        builder.UseSetting("Logging:LogLevel:KonnectLive.Core.Inbound.CsiIngestService", "Information");
        // Many sign-ins from one address (the bench) are set-up, not an attack on the token endpoint.
        builder.UseSetting("InboundApi:TokenRequestsPerMinute", "1000");
        // The bench's pages never reconnect: a page it closes is gone, so its circuit is not kept for a reconnection
        // (the default keeps up to 100 for 3 min) and the circuit-memory scenario measures from a state with none left.
        builder.ConfigureServices(services =>
        {
            services.Configure<CircuitOptions>(o => o.DisconnectedCircuitMaxRetained = 0);
            services.AddSingleton<CircuitCount>();
            services.AddScoped<CircuitHandler, CircuitCount.Handler>();
        });
    }

    /// <summary>Circuits the app holds right now (opened and not yet disposed), counted by a bench-only circuit handler.</summary>
    public int OpenCircuits => Service<CircuitCount>().Open;

    public static async Task<BenchApp> StartAsync()
    {
        var app = new BenchApp();
        app.StartServer();
        app.BaseAddress = app.ClientOptions.BaseAddress;
        await Dataset.AddBenchDealershipAsync(app.DatabasePath);
        return app;
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public SqliteConnection OpenDatabase()
    {
        var c = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 10000;";
        cmd.ExecuteNonQuery();
        return c;
    }

    /// <summary>A demo user's scope, read from the database as the app reads it.</summary>
    public async Task<UserScope> ScopeAsync(string userName)
    {
        await using var c = OpenDatabase();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT Id FROM AspNetUsers WHERE UserName = $u";
        cmd.Parameters.AddWithValue("$u", userName);
        var id = (string)(await cmd.ExecuteScalarAsync())!;
        return await Service<UserScopeLoader>().LoadAsync(id) ?? throw new InvalidOperationException($"No scope for {userName}");
    }

    /// <summary>An HttpClient with its own cookie jar, signed in through the real log-in form.</summary>
    public async Task<(HttpClient Client, CookieContainer Cookies)> SignInAsync(string userName)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
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
            throw new InvalidOperationException($"Sign-in as {userName} failed: {(int)response.StatusCode}");
        return (client, cookies);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Counts the app's circuits from open to dispose (bench only; the app itself is unchanged).</summary>
public sealed class CircuitCount
{
    private int _open;
    public int Open => Volatile.Read(ref _open);

    internal sealed class Handler(CircuitCount count) : CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref count._open);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref count._open);
            return Task.CompletedTask;
        }
    }
}
