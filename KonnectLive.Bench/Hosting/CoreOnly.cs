using KonnectLive.Core;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Bench.Hosting;

/// <summary>
/// The app's Core services (AddKonnectLiveCore: the same ChaseListQuery and CallLockService the pages inject) over a
/// database file of their own, migrated by the app's DatabaseInitializer, without demo data. Used where a scenario
/// needs a database of a given size, or an identical empty schema (the raw-insert floor).
/// </summary>
public sealed class CoreOnly : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("konnectlive-bench-core-").FullName;
    public ServiceProvider Services { get; private set; } = null!;
    public string DatabasePath => Path.Combine(_dir, "core.db");

    public static async Task<CoreOnly> CreateAsync()
    {
        var core = new CoreOnly();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = core.DatabasePath,
            ["Storage:SeedDemoData"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddKonnectLiveCore(config);
        services.AddIdentityCore<AppUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<KonnectDbContext>();
        core.Services = services.BuildServiceProvider();
        await using (var scope = core.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return core;
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task<int> AddDealershipAsync(string code)
    {
        await using var c = Dataset.Open(DatabasePath);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO Dealerships (Code, Name, TimeZone, SendFrom, SendUntil) VALUES ($c, $c, 'Europe/London', '00:00:00', '23:59:59'); SELECT last_insert_rowid();";
        cmd.Parameters.AddWithValue("$c", code);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
