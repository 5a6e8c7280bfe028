using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Data;

/// <summary>
/// Held around start-up's migrate-and-seed. On PostgreSQL it is a session advisory lock on the context's connection,
/// kept open until disposed: a second instance waits, then finds the migrations applied and the seed present (every
/// seed step checks first). SQLite is one file used by one process: nothing to hold.
/// </summary>
internal sealed class StartupLock : IAsyncDisposable
{
    /// <summary>KonnectLive's advisory-lock namespace (the first key of the two-key form): "KL".</summary>
    internal const int Namespace = 19276;
    private const string Lock = "SELECT pg_advisory_lock(19276, 1)";
    private const string Unlock = "SELECT pg_advisory_unlock(19276, 1)";

    private readonly KonnectDbContext? _db;

    private StartupLock(KonnectDbContext? db) => _db = db;

    public static async Task<StartupLock> AcquireAsync(KonnectDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return new StartupLock(null);
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlRawAsync(Lock, ct);
        return new StartupLock(db);
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is null) return;
        try
        {
            await _db.Database.ExecuteSqlRawAsync(Unlock);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}
