using KonnectLive.Core.Live;
using Microsoft.Extensions.Time.Testing;

namespace KonnectLive.Tests.Core;

public sealed class ThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private int _runs;

    private Func<Task> Count => () => { Interlocked.Increment(ref _runs); return Task.CompletedTask; };
    private int Runs => Volatile.Read(ref _runs);

    [Fact]
    public void Run_FirstRequest_RunsAtOnce()
    {
        using var throttle = new Throttle(Interval, _time);

        throttle.Run(Count);

        Assert.Equal(1, Runs);
    }

    [Fact]
    public void Run_BurstWithinTheInterval_RunsOnceNowAndOnceWhenTheIntervalEnds()
    {
        using var throttle = new Throttle(Interval, _time);

        for (var i = 0; i < 50; i++) throttle.Run(Count);
        Assert.Equal(1, Runs);
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Runs);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, Runs); // the last request of the burst was not lost
        _time.Advance(Interval * 4);
        Assert.Equal(2, Runs); // and nothing more without a request
    }

    [Fact]
    public void Run_SteadyStream_RunsOncePerIntervalNotPostponedLikeADebounce()
    {
        using var throttle = new Throttle(Interval, _time);

        // A request every 100 ms for 3 s: a trailing debounce would never run; the throttle runs every 500 ms.
        for (var t = 0; t < 3000; t += 100)
        {
            throttle.Run(Count);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.InRange(Runs, 6, 7);
    }

    [Fact]
    public void Run_AfterAQuietInterval_RunsAtOnceAgain()
    {
        using var throttle = new Throttle(Interval, _time);
        throttle.Run(Count);
        _time.Advance(Interval * 2);

        throttle.Run(Count);

        Assert.Equal(2, Runs);
    }

    [Fact]
    public async Task Run_RequestWhileRunning_RunsAgainAfterwardWithTheLatestActionNeverOverlapping()
    {
        using var throttle = new Throttle(Interval, _time);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var overlapped = false;
        var ran = new List<string>();
        Func<Task> Action(string name) => async () =>
        {
            if (Interlocked.Increment(ref running) > 1) overlapped = true;
            lock (ran) ran.Add(name);
            if (name == "first") await release.Task;
            Interlocked.Decrement(ref running);
        };

        throttle.Run(Action("first"));
        throttle.Run(Action("second"));
        throttle.Run(Action("third"));
        _time.Advance(Interval * 2);
        lock (ran) Assert.Equal(["first"], ran); // still running: nothing overlaps it
        release.SetResult();
        await Task.Delay(50); // the first run's continuation ends on the thread pool

        lock (ran) Assert.Equal(["first", "third"], ran); // the interval had passed: the latest request runs at once
        Assert.False(overlapped);
    }

    [Fact]
    public void Run_ActionThrows_LaterRequestsStillRun()
    {
        using var throttle = new Throttle(Interval, _time);

        throttle.Run(() => throw new ObjectDisposedException("circuit"));
        _time.Advance(Interval);
        throttle.Run(Count);

        Assert.Equal(1, Runs);
    }

    [Fact]
    public void Dispose_PendingRequest_NeverRuns()
    {
        var throttle = new Throttle(Interval, _time);
        throttle.Run(Count);
        throttle.Run(Count);

        throttle.Dispose();
        _time.Advance(Interval * 2);

        Assert.Equal(1, Runs);
    }
}
