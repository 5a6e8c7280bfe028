using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>
/// Lock writes queue here on SQLite. SQLite lets one writer in at a time and makes the others poll its busy handler with
/// growing sleeps (1, 2, 5 … 100 ms): 32 agents claiming at once spent most of their time asleep (167 claims/s against a
/// raw floor of 4,191/s). One process owns a SQLite file, so an in-process queue decides the order instead and each
/// write finds the file free. On PostgreSQL the database queues row locks itself and several instances share it: no gate.
/// </summary>
internal sealed class LockWriteGate
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public async ValueTask<Turn> EnterAsync(KonnectDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return default;
        await _one.WaitAsync(ct);
        return new Turn(_one);
    }

    public readonly struct Turn(SemaphoreSlim? held) : IDisposable
    {
        public void Dispose() => held?.Release();
    }
}
