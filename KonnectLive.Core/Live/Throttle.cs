namespace KonnectLive.Core.Live;

/// <summary>
/// Runs the first request at once, then at most one per <c>interval</c> (measured from the start of the previous run)
/// while requests keep coming; the last request is never dropped — it runs when the interval ends. A steady stream of
/// requests therefore runs once per interval, unlike a trailing debounce that the stream keeps postponing. Runs never
/// overlap. Time comes from <see cref="TimeProvider"/>, so tests drive it with <c>FakeTimeProvider</c>.
/// </summary>
public sealed class Throttle : IDisposable
{
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private Func<Task>? _latest;
    private long? _lastStart;
    private bool _running;
    private bool _pending;
    private bool _timerArmed;
    private bool _disposed;

    public Throttle(TimeSpan interval, TimeProvider time)
    {
        _interval = interval;
        _time = time;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Asks for <paramref name="action"/> to run (the latest action asked for is the one that runs).</summary>
    public void Run(Func<Task> action)
    {
        lock (_gate)
        {
            if (_disposed) return;
            _latest = action;
            if (_running || _timerArmed)
            {
                _pending = true;
                return;
            }
            var wait = WaitLeft();
            if (wait > TimeSpan.Zero)
            {
                _pending = true;
                Arm(wait);
                return;
            }
            Start();
        }
        _ = LoopAsync();
    }

    private TimeSpan WaitLeft() => _lastStart is { } start ? _interval - _time.GetElapsedTime(start) : TimeSpan.Zero;

    private void Arm(TimeSpan wait)
    {
        _timerArmed = true;
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Under the gate: marks a run as started now.</summary>
    private void Start()
    {
        _running = true;
        _pending = false;
        _lastStart = _time.GetTimestamp();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerArmed = false;
            if (_disposed || _running || !_pending) return;
            Start();
        }
        _ = LoopAsync();
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            Func<Task> action;
            lock (_gate) action = _latest!;
            try { await action(); }
            catch (Exception) { } // the action reports its own failures (or its circuit went away): later requests still run
            lock (_gate)
            {
                _running = false;
                if (_disposed || !_pending) return;
                var wait = WaitLeft();
                if (wait > TimeSpan.Zero)
                {
                    Arm(wait);
                    return;
                }
                Start();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending = false;
        }
        _timer.Dispose();
    }
}
