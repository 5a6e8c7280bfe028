using System.Net;
using System.Text.RegularExpressions;
using KonnectLive.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 with its own SQLite file and the demo data, as `dotnet run` starts it,
/// but with short lock leases so grace periods can be watched in a test.
/// </summary>
public class AppFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int LeaseSeconds = 6;
    private readonly string _dir = Directory.CreateTempSubdirectory("konnectlive-app-").FullName;

    public string DatabasePath => Path.Combine(_dir, "konnectlive.db");
    public Uri BaseAddress { get; private set; } = null!;

    public AppFixture()
    {
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        builder.UseSetting("Storage:SqlitePath", DatabasePath);
        builder.UseSetting("Storage:SeedDemoData", "true");
        builder.UseSetting("Locking:LeaseSeconds", LeaseSeconds.ToString());
        builder.UseSetting("Locking:RenewEverySeconds", "2");
        builder.UseSetting("Locking:SweepEverySeconds", "1");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Every test signs in from 127.0.0.1: the per-address limit is proved in SignInThrottleTests, not shared by the suite.
        builder.UseSetting("SignIn:MaxFailuresPerAddress", "100000");
    }

    public Task InitializeAsync()
    {
        StartServer();
        BaseAddress = ClientOptions.BaseAddress;
        return Task.CompletedTask;
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>An HttpClient with its own cookie jar, signed in through the real login form.</summary>
    public async Task<SignedInClient> SignInAsync(string userName, string password = DemoData.Password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        var response = await PostLoginAsync(client, userName, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {userName} failed: {(int)response.StatusCode}");
        return new SignedInClient(client, cookies);
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string userName, string password)
    {
        var page = await client.GetStringAsync("/account/login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

public sealed record SignedInClient(HttpClient Client, CookieContainer Cookies) : IDisposable
{
    public void Dispose() => Client.Dispose();
}
