namespace KonnectLive.Core.Data;

/// <summary>Section <c>Storage</c> in appsettings.json.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    /// <summary>The connection string name under <c>ConnectionStrings</c> used by the PostgreSQL provider.</summary>
    public const string ConnectionStringName = "KonnectLive";

    /// <summary><see cref="StorageProvider.Sqlite"/> (the embedded default) or <see cref="StorageProvider.PostgreSql"/> (scale-out).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite file of the embedded default; a relative path is resolved against the working directory.</summary>
    public string SqlitePath { get; set; } = "data/konnectlive.db";

    /// <summary>
    /// Seed the demo dealerships, users (with their published password) and the demo API client when the database is empty.
    /// Unset (the default), the host decides: the Development environment — which <c>dotnet run</c> uses through the launch
    /// profile — seeds, any other does not. Set true to seed anyway (a demo server), false never to.
    /// </summary>
    public bool? SeedDemoData { get; set; }

    /// <summary>
    /// Apply migrations and seed at start. With several instances, set it false on all but one (or run
    /// <c>KonnectLive.Desktop --migrate</c> once before starting them); an instance that finds the database behind then
    /// says so and exits. Left true everywhere is also safe on PostgreSQL: start-up holds an advisory lock.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    public string SqliteConnectionString()
    {
        var full = Path.GetFullPath(SqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Private cache (the default), not Cache=Shared: in shared-cache mode a writer takes table locks that others meet as
        // SQLITE_LOCKED, which busy_timeout does not cover, so Microsoft.Data.Sqlite retried them in 150 ms sleeps on
        // thread-pool threads (lock contention ran at 76 claims/s). WAL and the busy timeout (SqlitePragmaInterceptor) let
        // readers run beside the one writer and make writers wait their turn inside SQLite.
        return $"Data Source={full};Pooling=True";
    }
}

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}
