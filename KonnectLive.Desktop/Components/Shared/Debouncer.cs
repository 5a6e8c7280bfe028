namespace KonnectLive.Desktop.Components.Shared;

/// <summary>Runs the last action requested within a short window, once.</summary>
public sealed class Debouncer(TimeSpan delay) : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _pending;

    public void Run(Func<Task> action)
    {
        CancellationTokenSource cts;
        lock (_gate)
        {
            _pending?.Cancel();
            _pending?.Dispose();
            _pending = cts = new CancellationTokenSource();
        }
        _ = Task.Delay(delay, cts.Token).ContinueWith(async t =>
        {
            if (t.IsCanceled) return;
            try { await action(); }
            catch (ObjectDisposedException) { } // the circuit went away while we waited
        }, TaskScheduler.Default).Unwrap();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _pending?.Cancel();
            _pending?.Dispose();
            _pending = null;
        }
    }
}
