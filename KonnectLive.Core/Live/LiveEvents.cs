using Microsoft.Extensions.Logging;

namespace KonnectLive.Core.Live;

/// <summary>Where services send live events. They never know how the events travel.</summary>
public interface ILiveEventPublisher
{
    Task PublishAsync(LiveEvent liveEvent, CancellationToken ct = default);
}

/// <summary>Where this process's listeners (Blazor circuits, the hub forwarder) hear live events.</summary>
public interface ILiveEventSubscriptions
{
    IDisposable Subscribe(Func<LiveEvent, Task> handler);
}

/// <summary>
/// The in-process fan-out. In the embedded default it is also the publisher; a cross-instance
/// transport (Redis) publishes to every instance and calls <see cref="DispatchAsync"/> on each.
/// </summary>
public sealed class LiveEventBus(ILogger<LiveEventBus> logger) : ILiveEventSubscriptions
{
    private readonly Lock _gate = new();
    private ImmutableHandlers _handlers = new([]);

    public IDisposable Subscribe(Func<LiveEvent, Task> handler)
    {
        lock (_gate) _handlers = new([.. _handlers.Items, handler]);
        return new Subscription(this, handler);
    }

    public int SubscriberCount => _handlers.Items.Length;

    public async Task DispatchAsync(LiveEvent liveEvent)
    {
        foreach (var handler in _handlers.Items)
        {
            try
            {
                await handler(liveEvent);
            }
            catch (Exception ex)
            {
                // One broken listener (say, a circuit being torn down) must not stop the others.
                logger.LogWarning(ex, "A live event listener failed for {Kind} on record {RecordId}", liveEvent.Kind, liveEvent.RecordId);
            }
        }
    }

    private void Unsubscribe(Func<LiveEvent, Task> handler)
    {
        lock (_gate) _handlers = new([.. _handlers.Items.Where(h => h != handler)]);
    }

    private sealed record ImmutableHandlers(Func<LiveEvent, Task>[] Items);

    private sealed class Subscription(LiveEventBus bus, Func<LiveEvent, Task> handler) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) bus.Unsubscribe(handler);
        }
    }
}

/// <summary>Embedded default: events stay in this process.</summary>
public sealed class InProcessLiveEventPublisher(LiveEventBus bus) : ILiveEventPublisher
{
    public Task PublishAsync(LiveEvent liveEvent, CancellationToken ct = default) => bus.DispatchAsync(liveEvent);
}
