using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Inbound;

/// <summary>
/// Keeps two FOCUS batches for one dealership from matching customers at the same time (each would create the same new
/// person). <see cref="EnterAsync"/> is held around a whole batch; <see cref="LockDealershipsAsync"/> runs first inside
/// the batch's transaction, before anything is read.
/// </summary>
public interface IIngestSerialiser
{
    Task<IAsyncDisposable> EnterAsync(CancellationToken ct);
    Task LockDealershipsAsync(KonnectDbContext db, IEnumerable<int> dealershipIds, CancellationToken ct);
}

/// <summary>SQLite (one process): one batch at a time in this process.</summary>
internal sealed class InProcessIngestSerialiser : IIngestSerialiser
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IAsyncDisposable> EnterAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        return new Release(_gate);
    }

    public Task LockDealershipsAsync(KonnectDbContext db, IEnumerable<int> dealershipIds, CancellationToken ct) => Task.CompletedTask;

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// PostgreSQL (any number of instances): a transaction-scoped advisory lock per dealership, taken in id order so two
/// batches never wait on each other in a circle; released by the commit or rollback. Batches of different dealerships
/// run side by side.
/// </summary>
internal sealed class PostgreSqlIngestSerialiser : IIngestSerialiser
{
    /// <summary>The second key space of KonnectLive's advisory locks (the first is the start-up lock's).</summary>
    private const int IngestNamespace = StartupLock.Namespace + 1;

    public Task<IAsyncDisposable> EnterAsync(CancellationToken ct) => Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public async Task LockDealershipsAsync(KonnectDbContext db, IEnumerable<int> dealershipIds, CancellationToken ct)
    {
        foreach (var id in dealershipIds.Distinct().Order())
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({IngestNamespace}, {id})", ct);
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
