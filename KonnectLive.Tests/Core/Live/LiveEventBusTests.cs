using System.Diagnostics;
using KonnectLive.Core.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace KonnectLive.Tests.Core;

public sealed class LiveEventBusTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly LiveEventBus _bus = new(NullLogger<LiveEventBus>.Instance);

    private static LiveEvent Event(int recordId = 7) => new(LiveEventKind.LockTaken, 1, recordId, "Alice Archer", "u1", "Nadia North");

    /// <summary>Waits (in real time) until <paramref name="done"/> holds; listeners hear events on their own queues.</summary>
    private static async Task EventuallyAsync(Func<bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(deadline.Elapsed < Patience, "the listener did not hear the events in time");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task PublishAsync_InProcess_ReachesEverySubscriber()
    {
        var first = new List<LiveEvent>();
        var second = new List<LiveEvent>();
        using var a = _bus.Subscribe(e => { lock (first) first.Add(e); return Task.CompletedTask; });
        using var b = _bus.Subscribe(e => { lock (second) second.Add(e); return Task.CompletedTask; });
        var sent = Event();

        await new InProcessLiveEventPublisher(_bus).PublishAsync(sent);

        await EventuallyAsync(() => { lock (first) lock (second) return first.Count == 1 && second.Count == 1; });
        Assert.Equal([sent], first);
        Assert.Equal([sent], second);
    }

    [Fact]
    public async Task PublishAsync_OneListenerBlocked_PublisherReturnsAtOnceAndOthersHearEverything()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blockedHeard = 0;
        var heard = new List<int>();
        using var blocked = _bus.Subscribe(async _ => { Interlocked.Increment(ref blockedHeard); await gate.Task; });
        using var stuckSync = _bus.Subscribe(_ => { gate.Task.Wait(); return Task.CompletedTask; }); // a listener that blocks its thread
        using var healthy = _bus.Subscribe(e => { lock (heard) heard.Add(e.RecordId); return Task.CompletedTask; });
        var publisher = new InProcessLiveEventPublisher(_bus);

        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= 100; i++)
        {
            var publish = publisher.PublishAsync(Event(i));
            Assert.True(publish.IsCompleted, "publishing waited for a listener");
            await publish;
        }
        var publishing = clock.Elapsed;

        await EventuallyAsync(() => { lock (heard) return heard.Count == 100; });
        Assert.True(publishing < TimeSpan.FromSeconds(1), $"100 publishes took {publishing}");
        Assert.Equal(Enumerable.Range(1, 100), heard);
        // Its own queue's worker may start a moment after the healthy one has heard everything: wait for it to take its first
        // event, then make sure it is still on that one (nobody waited for it).
        await EventuallyAsync(() => Volatile.Read(ref blockedHeard) >= 1);
        Assert.Equal(1, Volatile.Read(ref blockedHeard));
        gate.SetResult();
    }

    [Fact]
    public async Task Dispatch_SlowListener_HearsEveryEventInPublishingOrder()
    {
        var heard = new List<int>();
        using var slow = _bus.Subscribe(async e =>
        {
            await Task.Delay(e.RecordId % 3); // uneven handling times must not reorder
            lock (heard) heard.Add(e.RecordId);
        });

        for (var i = 1; i <= 200; i++) _bus.Dispatch(Event(i));

        await EventuallyAsync(() => { lock (heard) return heard.Count == 200; });
        Assert.Equal(Enumerable.Range(1, 200), heard);
    }

    [Fact]
    public async Task Dispatch_OneListenerThrows_ItAndOthersStillHearLaterEvents()
    {
        var heard = new List<int>();
        var brokenCalls = 0;
        using var broken = _bus.Subscribe(_ => { Interlocked.Increment(ref brokenCalls); throw new ObjectDisposedException("circuit"); });
        using var failing = _bus.Subscribe(_ => Task.FromException(new InvalidOperationException("gone")));
        using var healthy = _bus.Subscribe(e => { lock (heard) heard.Add(e.RecordId); return Task.CompletedTask; });

        _bus.Dispatch(Event(1));
        _bus.Dispatch(Event(2));

        await EventuallyAsync(() => { lock (heard) return heard.Count == 2 && Volatile.Read(ref brokenCalls) == 2; });
        Assert.Equal([1, 2], heard);
    }

    [Fact]
    public async Task Dispatch_ListenerFarBehind_DropsItsOldestEventsOnlyAndNeverBlocks()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var heard = new List<int>();
        using var stuck = _bus.Subscribe(async e => { await gate.Task; lock (heard) heard.Add(e.RecordId); });

        var total = LiveEventBus.QueueCapacity + 500;
        for (var i = 1; i <= total; i++) _bus.Dispatch(Event(i));
        gate.SetResult();

        await EventuallyAsync(() => { lock (heard) return heard.Count > 0 && heard[^1] == total; });
        Assert.True(_bus.DroppedEvents > 0);
        Assert.Equal(heard.Order(), heard); // what it does hear is in order, and the newest is never lost
    }

    [Fact]
    public async Task Subscribe_Disposed_StopsDeliveryAndDisposeTwiceIsHarmless()
    {
        var heard = 0;
        var otherHeard = 0;
        var subscription = _bus.Subscribe(_ => { Interlocked.Increment(ref heard); return Task.CompletedTask; });
        using var other = _bus.Subscribe(_ => { Interlocked.Increment(ref otherHeard); return Task.CompletedTask; });

        subscription.Dispose();
        subscription.Dispose();
        _bus.Dispatch(Event());

        await EventuallyAsync(() => Volatile.Read(ref otherHeard) == 1);
        Assert.Equal(0, Volatile.Read(ref heard));
        Assert.Equal(1, _bus.SubscriberCount);
    }
}
