namespace KonnectLive.Core.Data;

/// <summary>Section <c>Storage</c> in appsettings.json.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite file of the embedded default; a relative path is resolved against the working directory.</summary>
    public string SqlitePath { get; set; } = "data/konnectlive.db";

    /// <summary>Seed the demo dealerships, users and customers when the database is empty.</summary>
    public bool SeedDemoData { get; set; } = true;

    public string SqliteConnectionString()
    {
        var full = Path.GetFullPath(SqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return $"Data Source={full};Cache=Shared;Pooling=True";
    }
}
