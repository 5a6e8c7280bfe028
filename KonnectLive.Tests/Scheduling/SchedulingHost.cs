using KonnectLive.Core;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Scheduling;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KonnectLive.Tests.Scheduling;

/// <summary>
/// A generic host with the app's core services and its Quartz scheduling (persistent SQLite store), on a data
/// directory that outlives the host, so a test can stop the "app" and start it again on the same files. Real time.
/// </summary>
public sealed class SchedulingHost : IAsyncDisposable
{
    private SchedulingHost(IHost host) => Host = host;

    public IHost Host { get; }
    public IServiceProvider Services => Host.Services;

    public static async Task<SchedulingHost> StartAsync(string dataDir, IDictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = Path.Combine(dataDir, "konnectlive.db"),
            ["Storage:SeedDemoData"] = "false",
            ["Messaging:DispatchEverySeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddKonnectLiveCore(builder.Configuration);
        builder.Services.AddIdentityCore<AppUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<KonnectDbContext>();
        builder.Services.AddKonnectLiveScheduling(builder.Configuration);
        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await host.StartAsync();
        return new SchedulingHost(host);
    }

    public KonnectDbContext NewDbContext() => Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>().CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(TimeSpan.FromSeconds(10));
        Host.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
