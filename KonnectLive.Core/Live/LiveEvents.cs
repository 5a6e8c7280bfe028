using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Core.Live;

/// <summary>Where services send live events. They never know how the events travel, and never wait for listeners.</summary>
public interface ILiveEventPublisher
{
    Task PublishAsync(LiveEvent liveEvent, CancellationToken ct = default);
}

/// <summary>Where this process's listeners (Blazor circuits, the hub forwarder) hear live events.</summary>
public interface ILiveEventSubscriptions
{
    /// <summary>
    /// <paramref name="handler"/> hears every event published after this call, one at a time and in publishing order, on
    /// its own queue: however long it takes, it delays neither the publisher nor any other listener.
    /// </summary>
    IDisposable Subscribe(Func<LiveEvent, Task> handler);
}

/// <summary>
/// The in-process fan-out. In the embedded default it is also the publisher; a cross-instance transport (Redis)
/// publishes to every instance and calls <see cref="Dispatch"/> on each. Dispatching only queues the event for each
/// listener (a bounded queue per listener, drained by one task at a time), so it returns at once whatever the listeners do.
/// </summary>
public sealed class LiveEventBus(ILogger<LiveEventBus> logger) : ILiveEventSubscriptions
{
    /// <summary>
    /// A listener this far behind is stuck (a circuit that stopped reading); its oldest events give way to newer ones
    /// rather than growing the queue without bound. Listeners that reload from the database lose nothing that matters.
    /// </summary>
    public const int QueueCapacity = 1024;

    private readonly ILogger<LiveEventBus> _logger = logger;
    private readonly Lock _gate = new();
    private Listener[] _listeners = [];
    private long _dropped;
    private long _chaseGeneration;

    /// <summary>
    /// Goes up with every dispatched event that may change a chase list's members (<see cref="LiveEvent.MayChangeTheChaseMembers"/>);
    /// what was read from the database at one generation can be reused while it stays the same (<c>ChaseListCounts</c>).
    /// </summary>
    public long ChaseGeneration => Interlocked.Read(ref _chaseGeneration);

    public IDisposable Subscribe(Func<LiveEvent, Task> handler)
    {
        var listener = new Listener(this, handler);
        lock (_gate) _listeners = [.. _listeners, listener];
        return listener;
    }

    public int SubscriberCount => Volatile.Read(ref _listeners).Length;

    /// <summary>Events that listeners too far behind lost (see <see cref="QueueCapacity"/>).</summary>
    public long DroppedEvents => Interlocked.Read(ref _dropped);

    /// <summary>Queues <paramref name="liveEvent"/> for every listener and returns; never waits for any of them.</summary>
    public void Dispatch(LiveEvent liveEvent)
    {
        // Before any listener hears it: a listener that reloads a page at once then never meets a count cached before the change.
        if (liveEvent.MayChangeTheChaseMembers) Interlocked.Increment(ref _chaseGeneration);
        foreach (var listener in Volatile.Read(ref _listeners)) listener.Enqueue(liveEvent);
    }

    /// <summary>The same as <see cref="Dispatch"/>; returns a completed task (for transports that expect one).</summary>
    public Task DispatchAsync(LiveEvent liveEvent)
    {
        Dispatch(liveEvent);
        return Task.CompletedTask;
    }

    private void Remove(Listener listener)
    {
        lock (_gate) _listeners = [.. _listeners.Where(l => l != listener)];
    }

    /// <summary>
    /// One listener's queue. A single drain runs at a time (so the handler hears events one by one, in order); it is queued
    /// on the thread pool's local queue of the publishing thread, so it starts as soon as that thread is free (or another
    /// idle thread steals it) instead of behind everything in the global queue — the hop costs little even under load.
    /// </summary>
    private sealed class Listener(LiveEventBus bus, Func<LiveEvent, Task> handler) : IDisposable, IThreadPoolWorkItem
    {
        private readonly ConcurrentQueue<LiveEvent> _queue = new();
        private int _count;
        private int _draining;
        private int _disposed;

        public void Enqueue(LiveEvent liveEvent)
        {
            if (Volatile.Read(ref _disposed) == 1) return;
            if (Interlocked.Increment(ref _count) > QueueCapacity && _queue.TryDequeue(out _))
            {
                Interlocked.Decrement(ref _count);
                Interlocked.Increment(ref bus._dropped);
            }
            _queue.Enqueue(liveEvent);
            if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true); // the publisher's thread never runs the handler
        }

        void IThreadPoolWorkItem.Execute() => _ = DrainAsync();

        private async Task DrainAsync()
        {
            while (true)
            {
                while (_queue.TryDequeue(out var liveEvent))
                {
                    Interlocked.Decrement(ref _count);
                    if (Volatile.Read(ref _disposed) == 1) return;
                    try
                    {
                        await handler(liveEvent);
                    }
                    catch (Exception ex)
                    {
                        // A broken listener (say, a circuit being torn down) still hears the next event; the others never noticed.
                        bus._logger.LogWarning(ex, "A live event listener failed for {Kind} on record {RecordId}", liveEvent.Kind, liveEvent.RecordId);
                    }
                }
                Volatile.Write(ref _draining, 0);
                // An event queued between the last TryDequeue and the line above found the drain still running: take it on.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            bus.Remove(this);
            _queue.Clear();
        }
    }
}

/// <summary>Embedded default: events stay in this process.</summary>
public sealed class InProcessLiveEventPublisher(LiveEventBus bus) : ILiveEventPublisher
{
    public Task PublishAsync(LiveEvent liveEvent, CancellationToken ct = default) => bus.DispatchAsync(liveEvent);
}
