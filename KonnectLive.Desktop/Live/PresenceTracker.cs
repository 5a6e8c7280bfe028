using System.Collections.Concurrent;

namespace KonnectLive.Desktop.Live;

/// <summary>A signed-in user as the live board shows them.</summary>
public sealed record PresentUser(string UserId, string DisplayName, int? DealershipId, bool CsiVoiceEnabled, DateTime Since);

/// <summary>
/// Who is signed in now: a user with at least one open circuit whose browser is connected. Fed by
/// <see cref="PresenceCircuitHandler"/> for this instance's circuits; with Redis, the other instances' users arrive
/// through <see cref="SetOtherInstances"/> (Cluster/RedisPresence), so the board is cluster-wide.
/// </summary>
public sealed class PresenceTracker
{
    private readonly ConcurrentDictionary<string, Entry> _circuits = new();
    private readonly Lock _gate = new();
    private Action[] _listeners = [];
    private IReadOnlyList<PresentUser> _otherInstances = [];

    private sealed record Entry(PresentUser User, bool Connected);

    /// <summary>Everyone with a connected circuit on any instance, one row per user (the earliest circuit's time).</summary>
    public IReadOnlyList<PresentUser> SignedIn() =>
        _circuits.Values.Where(e => e.Connected).Select(e => e.User).Concat(_otherInstances)
            .GroupBy(u => u.UserId)
            .Select(g => g.OrderBy(u => u.Since).First())
            .OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

    /// <summary>This instance's users only (what it tells the other instances).</summary>
    public IReadOnlyList<PresentUser> SignedInHere() =>
        _circuits.Values.Where(e => e.Connected)
            .GroupBy(e => e.User.UserId)
            .Select(g => g.OrderBy(e => e.User.Since).First().User)
            .ToList();

    /// <summary>Raised when this instance's own circuits change (not when other instances' users do).</summary>
    public event Action? ChangedHere;

    /// <summary>The users signed in on the other instances, as last read from the shared store.</summary>
    public void SetOtherInstances(IReadOnlyList<PresentUser> users)
    {
        var before = _otherInstances;
        _otherInstances = users;
        if (!before.Select(u => u.UserId).Order().SequenceEqual(users.Select(u => u.UserId).Order())) Notify(here: false);
    }

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

    private void Notify(bool here = true)
    {
        if (here) ChangedHere?.Invoke();
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
