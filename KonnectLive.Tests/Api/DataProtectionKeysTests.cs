using System.Net;
using KonnectLive.Core.Data;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Api;

/// <summary>The sign-in cookie outlives the process that issued it: the key ring is in the database.</summary>
public sealed class DataProtectionKeysTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("konnectlive-dpkeys-").FullName;

    private sealed class App(string databasePath) : WebApplicationFactory<Program>
    {
        public App Start()
        {
            UseKestrel(0);
            StartServer();
            return this;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Test");
            builder.UseSetting("Storage:SqlitePath", databasePath);
            builder.UseSetting("Storage:SeedDemoData", "true");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }

    [Fact]
    public async Task Restart_OnTheSameDatabase_TheOldSignInCookieStillWorks()
    {
        var database = Path.Combine(_dir, "konnectlive.db");
        var cookies = new CookieContainer();
        await using (var first = new App(database).Start())
        {
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = first.ClientOptions.BaseAddress };
            var login = await AppFixture.PostLoginAsync(client, "supervisor", DemoData.Password);
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }

        await using var second = new App(database).Start();
        using var again = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = second.ClientOptions.BaseAddress };
        using var stranger = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = second.ClientOptions.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/")).StatusCode);
        await using var db = second.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>().CreateDbContext();
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
