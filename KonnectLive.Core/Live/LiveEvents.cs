using System.Threading.Channels;
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
/// listener (a bounded channel per listener, drained by its own task), so it returns at once whatever the listeners do.
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

    private sealed class Listener : IDisposable
    {
        private readonly LiveEventBus _bus;
        private readonly Func<LiveEvent, Task> _handler;
        private readonly Channel<LiveEvent> _queue;
        private int _disposed;

        public Listener(LiveEventBus bus, Func<LiveEvent, Task> handler)
        {
            _bus = bus;
            _handler = handler;
            _queue = Channel.CreateBounded<LiveEvent>(
                new BoundedChannelOptions(QueueCapacity)
                {
                    SingleReader = true,
                    SingleWriter = false,
                    FullMode = BoundedChannelFullMode.DropOldest,
                    AllowSynchronousContinuations = false, // the publisher's thread never runs a listener
                },
                _ => Interlocked.Increment(ref bus._dropped));
            _ = Task.Run(DrainAsync);
        }

        public void Enqueue(LiveEvent liveEvent) => _queue.Writer.TryWrite(liveEvent);

        private async Task DrainAsync()
        {
            await foreach (var liveEvent in _queue.Reader.ReadAllAsync())
            {
                if (Volatile.Read(ref _disposed) == 1) return;
                try
                {
                    await _handler(liveEvent);
                }
                catch (Exception ex)
                {
                    // A broken listener (say, a circuit being torn down) still hears the next event; the others never noticed.
                    _bus._logger.LogWarning(ex, "A live event listener failed for {Kind} on record {RecordId}", liveEvent.Kind, liveEvent.RecordId);
                }
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _bus.Remove(this);
            _queue.Writer.TryComplete();
        }
    }
}

/// <summary>Embedded default: events stay in this process.</summary>
public sealed class InProcessLiveEventPublisher(LiveEventBus bus) : ILiveEventPublisher
{
    public Task PublishAsync(LiveEvent liveEvent, CancellationToken ct = default) => bus.DispatchAsync(liveEvent);
}
