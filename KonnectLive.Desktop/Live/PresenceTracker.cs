using System.Collections.Concurrent;

namespace KonnectLive.Desktop.Live;

/// <summary>A signed-in user as the live board shows them.</summary>
public sealed record PresentUser(string UserId, string DisplayName, int? DealershipId, bool CsiVoiceEnabled, DateTime Since);

/// <summary>
/// Who is signed in now in this app instance: a user with at least one open circuit whose browser is connected.
/// Fed by <see cref="PresenceCircuitHandler"/>. In memory on purpose: presence is about live connections, which die
/// with the process; with several instances each knows only its own circuits (a shared store would be needed then).
/// </summary>
public sealed class PresenceTracker
{
    private readonly ConcurrentDictionary<string, Entry> _circuits = new();
    private readonly Lock _gate = new();
    private Action[] _listeners = [];

    private sealed record Entry(PresentUser User, bool Connected);

    /// <summary>Everyone with a connected circuit, one row per user (the earliest circuit's time).</summary>
    public IReadOnlyList<PresentUser> SignedIn() =>
        _circuits.Values.Where(e => e.Connected)
            .GroupBy(e => e.User.UserId)
            .Select(g => g.OrderBy(e => e.User.Since).First().User)
            .OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

    public void CircuitOpened(string circuitId, PresentUser user)
    {
        _circuits[circuitId] = new Entry(user, Connected: true);
        Notify();
    }

    public void ConnectionChanged(string circuitId, bool connected)
    {
        if (_circuits.TryGetValue(circuitId, out var entry) && entry.Connected != connected)
        {
            _circuits[circuitId] = entry with { Connected = connected };
            Notify();
        }
    }

    public void CircuitClosed(string circuitId)
    {
        if (_circuits.TryRemove(circuitId, out _)) Notify();
    }

    /// <summary>Called (on any thread) whenever someone arrives or leaves. Dispose the result to stop.</summary>
    public IDisposable Subscribe(Action onChange)
    {
        lock (_gate) _listeners = [.. _listeners, onChange];
        return new Subscription(this, onChange);
    }

    private void Notify()
    {
        foreach (var listener in _listeners)
        {
            try { listener(); }
            catch (ObjectDisposedException) { } // a circuit going away as it hears the news
        }
    }

    private sealed class Subscription(PresenceTracker tracker, Action onChange) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            lock (tracker._gate) tracker._listeners = [.. tracker._listeners.Where(l => l != onChange)];
        }
    }
}
