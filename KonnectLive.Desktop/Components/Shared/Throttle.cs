namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// Runs the first request at once, then at most one per interval while requests keep coming; the last request is never
/// dropped (it runs when the interval ends). For reloads driven by live events: a burst costs two reloads, not one per event.
/// </summary>
public sealed class Throttle(TimeSpan interval) : IDisposable
{
    private readonly Lock _gate = new();
    private Func<Task>? _latest;
    private bool _running;
    private bool _pending;
    private bool _disposed;

    public void Run(Func<Task> action)
    {
        lock (_gate)
        {
            if (_disposed) return;
            _latest = action;
            if (_running)
            {
                _pending = true;
                return;
            }
            _running = true;
        }
        _ = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            Func<Task> action;
            lock (_gate)
            {
                action = _latest!;
                _pending = false;
            }
            try { await action(); }
            catch (Exception) { } // the action reports its own failures (or its circuit went away): later requests still run
            await Task.Delay(interval);
            lock (_gate)
            {
                if (_disposed || !_pending)
                {
                    _running = false;
                    return;
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
    }
}
