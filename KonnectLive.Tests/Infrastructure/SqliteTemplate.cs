using System.Collections.Concurrent;
using KonnectLive.Core;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KonnectLive.Tests.Infrastructure;

/// <summary>
/// A migrated SQLite file with the reference data (no demo data), made once per test run and clock by
/// <see cref="DatabaseInitializer"/> exactly as the app's first start makes it, and copied for each test that wants a
/// fresh database. Making a new file costs a test a third of a second of CPU, and even a second initializer pass over a
/// ready file costs ~0.2 s (EF's pending-model-changes check builds the snapshot's model); a thousand tests paid that
/// outside their measured time (xunit does not time a class's <c>InitializeAsync</c>), minutes of the suite on two cores.
/// Copying takes a millisecond and the copy holds exactly the rows the initializer wrote. Tests about the initializer
/// itself (migrating from empty or from the previous release, demo data) make their own databases.
/// </summary>
public static class SqliteTemplate
{
    private static readonly ConcurrentDictionary<DateTimeOffset, Lazy<Task<string>>> Templates = new();
    private static readonly string Root = Directory.CreateTempSubdirectory("konnectlive-template-").FullName;

    static SqliteTemplate()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
    }

    /// <summary>
    /// Puts a migrated copy at <paramref name="sqlitePath"/>; its reference rows carry <paramref name="now"/> as their
    /// timestamps, as if the app had first started then.
    /// </summary>
    public static async Task CopyToAsync(string sqlitePath, DateTimeOffset now)
    {
        var template = await Templates.GetOrAdd(now, at => new Lazy<Task<string>>(() => MakeAsync(at))).Value;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(sqlitePath))!);
        File.Copy(template, sqlitePath, overwrite: false);
    }

    private static async Task<string> MakeAsync(DateTimeOffset now)
    {
        var path = Path.Combine(Root, $"template-{now.UtcTicks}.db");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = path,
            ["Storage:SeedDemoData"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKonnectLiveCore(configuration);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(now));
        services.AddIdentityCore<AppUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<KonnectDbContext>();
        await using (var provider = services.BuildServiceProvider())
        {
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }
        // Everything into the main file (WAL mode), so that copying that one file copies the whole database.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }
        using (var pooled = new SqliteConnection(new StorageOptions { SqlitePath = path }.SqliteConnectionString()))
            SqliteConnection.ClearPool(pooled);
        return path;
    }
}
