using KonnectLive.Core.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace KonnectLive.Tests.Core;

public sealed class LiveEventBusTests
{
    private readonly LiveEventBus _bus = new(NullLogger<LiveEventBus>.Instance);

    private static LiveEvent Event(int recordId = 7) => new(LiveEventKind.LockTaken, 1, recordId, "Alice Archer", "u1", "Nadia North");

    [Fact]
    public async Task PublishAsync_InProcess_ReachesEverySubscriber()
    {
        var first = new List<LiveEvent>();
        var second = new List<LiveEvent>();
        using var a = _bus.Subscribe(e => { first.Add(e); return Task.CompletedTask; });
        using var b = _bus.Subscribe(e => { second.Add(e); return Task.CompletedTask; });
        var sent = Event();

        await new InProcessLiveEventPublisher(_bus).PublishAsync(sent);

        Assert.Equal([sent], first);
        Assert.Equal([sent], second);
    }

    [Fact]
    public async Task DispatchAsync_OneListenerThrows_OthersStillHear()
    {
        var heard = new List<int>();
        using var broken = _bus.Subscribe(_ => throw new ObjectDisposedException("circuit"));
        using var failing = _bus.Subscribe(_ => Task.FromException(new InvalidOperationException("gone")));
        using var healthy = _bus.Subscribe(e => { heard.Add(e.RecordId); return Task.CompletedTask; });

        await _bus.DispatchAsync(Event(1));
        await _bus.DispatchAsync(Event(2));

        Assert.Equal([1, 2], heard);
    }

    [Fact]
    public async Task Subscribe_Disposed_StopsDeliveryAndDisposeTwiceIsHarmless()
    {
        var heard = 0;
        var subscription = _bus.Subscribe(_ => { heard++; return Task.CompletedTask; });
        using var other = _bus.Subscribe(_ => Task.CompletedTask);

        subscription.Dispose();
        subscription.Dispose();
        await _bus.DispatchAsync(Event());

        Assert.Equal(0, heard);
        Assert.Equal(1, _bus.SubscriberCount);
    }
}
