using System.Collections.Concurrent;
using System.Data.Common;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Core.Calling;

/// <summary>
/// The one writer of lock changes on SQLite, committing them in groups. SQLite lets one writer in at a time and makes the
/// others poll its busy handler with growing sleeps (1, 2, 5 … 100 ms): 32 agents claiming at once spent most of their time
/// asleep (167 claims/s against a raw floor of 4,191/s). One process owns a SQLite file, so an in-process queue decides the
/// order instead. Taking turns one write at a time still cost a commit and a thread hand-over per write (≈ 1,100 claims/s),
/// so the lock writes waiting in the queue (claims, releases, renewals) run together in ONE transaction on one connection:
/// each statement keeps its own condition and sees the ones before it, so every caller gets the answer it would have had
/// alone, in queue order — and the group pays for one commit. Nothing is answered before that commit. If anything in the
/// group throws, the group is rolled back and its writes run again one by one, each in its own transaction, so one bad
/// write fails only its own caller.
/// <para>
/// Writes that EF makes (taking over a lease, clearing expired leases) take a solo turn (<see cref="EnterAsync"/>): the
/// same writer slot, held while the caller runs them on its own connection. On PostgreSQL the database queues row locks
/// itself and several instances share it: no gate, <see cref="EnterAsync"/> returns at once and <see cref="RunAsync{T}"/> is not used.
/// </para>
/// </summary>
internal sealed class LockWriteGate(IDbContextFactory<KonnectDbContext> dbFactory, ILogger logger)
{
    /// <summary>A group never grows past this: the writes behind it make the next group.</summary>
    private const int MaxGroup = 128;

    private readonly ConcurrentQueue<Write> _queue = new();
    /// <summary>The writer slot: held by the drain for each group, and by a solo turn.</summary>
    private readonly SemaphoreSlim _slot = new(1, 1);
    /// <summary>1 while a drain task runs (so exactly one drains).</summary>
    private int _draining;

    /// <summary>
    /// Queues a lock write to run inside the writer's transaction, on the writer's connection, and returns its answer once
    /// the transaction that holds it has committed. The write must only run statements on the connection and transaction
    /// it is given and must not commit. A caller cancelled before its write starts is dropped; once started, it is answered.
    /// </summary>
    public Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, T> write, CancellationToken ct = default)
    {
        var queued = new Write<T>(write, ct);
        _queue.Enqueue(queued);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
            _ = Task.Run(DrainAsync, CancellationToken.None);
        return queued.Task;
    }

    /// <summary>A solo turn in the writer slot for a write that runs on the caller's own connection (SQLite only).</summary>
    public async ValueTask<Turn> EnterAsync(KonnectDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return default;
        await _slot.WaitAsync(ct);
        return new Turn(this);
    }

    public readonly struct Turn(LockWriteGate? gate) : IDisposable
    {
        public void Dispose() => gate?._slot.Release();
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            try
            {
                await DrainQueueAsync();
            }
            catch (Exception ex)
            {
                // Only opening the writer's connection can land here: answer everything waiting with the failure.
                logger.LogWarning(ex, "The lock writer could not open its connection");
                while (_queue.TryDequeue(out var write)) write.Fail(ex);
            }
            Volatile.Write(ref _draining, 0);
            // A write queued after the last look but before the flag dropped would otherwise wait for the next caller.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
        }
    }

    private async Task DrainQueueAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var group = new List<Write>(MaxGroup);
        while (!_queue.IsEmpty)
        {
            // The slot is taken per group, so a solo turn (the sweeper) waits for one group at most, not for a quiet moment.
            await _slot.WaitAsync();
            try
            {
                while (group.Count < MaxGroup && _queue.TryDequeue(out var write))
                    if (write.TryStart()) group.Add(write);
                if (group.Count == 1) RunAlone(connection, group[0]);
                else if (group.Count > 1) RunGroup(connection, group);
            }
            finally
            {
                _slot.Release();
                group.Clear();
            }
        }
    }

    private void RunGroup(DbConnection connection, List<Write> group)
    {
        try
        {
            using var tx = connection.BeginTransaction();
            foreach (var write in group) write.Execute(connection, tx);
            tx.Commit();
        }
        catch (Exception ex)
        {
            logger.LogInformation(ex, "A group of {Count} lock writes failed; running them one by one", group.Count);
            foreach (var write in group) RunAlone(connection, write);
            return;
        }
        foreach (var write in group) write.Complete();
    }

    private static void RunAlone(DbConnection connection, Write write)
    {
        try
        {
            using var tx = connection.BeginTransaction();
            write.Execute(connection, tx);
            tx.Commit();
        }
        catch (Exception ex)
        {
            write.Fail(ex);
            return;
        }
        write.Complete();
    }

    private abstract class Write
    {
        private const int Queued = 0, Started = 1, Cancelled = 2;
        private int _state;

        /// <summary>False when the caller gave up before its turn: it is not run.</summary>
        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;
        protected bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;

        /// <summary>Runs the statements and keeps the answer; run again after a failed group.</summary>
        public abstract void Execute(DbConnection connection, DbTransaction tx);
        /// <summary>Hands the kept answer to the caller (after the commit).</summary>
        public abstract void Complete();
        public abstract void Fail(Exception ex);
    }

    private sealed class Write<T> : Write
    {
        private readonly Func<DbConnection, DbTransaction, T> _write;
        private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _cancel;
        private T _result = default!;

        public Write(Func<DbConnection, DbTransaction, T> write, CancellationToken ct)
        {
            _write = write;
            if (ct.CanBeCanceled)
                _cancel = ct.Register(() =>
                {
                    if (TryCancel()) _answer.TrySetCanceled(ct);
                });
        }

        public Task<T> Task => _answer.Task;

        public override void Execute(DbConnection connection, DbTransaction tx) => _result = _write(connection, tx);

        public override void Complete()
        {
            _cancel.Dispose();
            _answer.TrySetResult(_result);
        }

        public override void Fail(Exception ex)
        {
            _cancel.Dispose();
            _answer.TrySetException(ex);
        }
    }
}
