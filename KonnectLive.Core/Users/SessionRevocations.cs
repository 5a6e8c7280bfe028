namespace KonnectLive.Core.Users;

/// <summary>
/// "End this user's sessions now": raised after an admin disables a user, resets their password or changes their
/// rights. Open circuits and live-hub connections of that user listen and end at once, instead of waiting for the
/// next security-stamp check (which still runs, and is what catches anything this in-process signal cannot reach,
/// such as another app instance without Redis). With several instances a relay (Redis) carries each revocation to the
/// others, which hand it to their own listeners with <see cref="RevokeHere"/>.
/// A logout revokes one sign-in only (<see cref="RevokeSession"/>): that browser's circuits and hub connections end, the
/// user's other sign-ins stay.
/// </summary>
public sealed class SessionRevocations
{
    private readonly Lock _gate = new();
    private Action<string>[] _listeners = [];
    private Action<string>[] _sessionListeners = [];

    /// <summary>Set by a cross-instance relay: called for every revocation raised in this instance.</summary>
    public Action<string>? Relay { get; set; }

    /// <summary>Set by a cross-instance relay: called for every single-session revocation (logout) raised in this instance.</summary>
    public Action<string>? SessionRelay { get; set; }

    /// <summary>Called with the session id (<see cref="KonnectClaims.SessionId"/>) of each sign-in that logs out.</summary>
    public IDisposable SubscribeSessions(Action<string> onSessionRevoked)
    {
        lock (_gate) _sessionListeners = [.. _sessionListeners, onSessionRevoked];
        return new Subscription(this, onSessionRevoked);
    }

    /// <summary>One sign-in has ended (logout): tells this instance's listeners and, through <see cref="SessionRelay"/>, the others.</summary>
    public void RevokeSession(string sessionId)
    {
        RevokeSessionHere(sessionId);
        try { SessionRelay?.Invoke(sessionId); }
        catch (Exception) { /* the revoked-session check on each request still refuses the cookie */ }
    }

    public void RevokeSessionHere(string sessionId) => Notify(_sessionListeners, sessionId);

    public IDisposable Subscribe(Action<string> onRevoked)
    {
        lock (_gate) _listeners = [.. _listeners, onRevoked];
        return new Subscription(this, onRevoked);
    }

    /// <summary>Tells every listener here and, through the <see cref="Relay"/>, every other instance.</summary>
    public void Revoke(string userId)
    {
        RevokeHere(userId);
        try { Relay?.Invoke(userId); }
        catch (Exception) { /* the relay logs its own failures; the security-stamp check still catches the rest */ }
    }

    /// <summary>Tells this instance's listeners only; a failing listener does not stop the others.</summary>
    public void RevokeHere(string userId) => Notify(_listeners, userId);

    private static void Notify(Action<string>[] listeners, string id)
    {
        foreach (var listener in listeners)
        {
            try { listener(id); }
            catch (Exception) { /* a listener's own failure must not keep another session open */ }
        }
    }

    private sealed class Subscription(SessionRevocations owner, Action<string> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._listeners = [.. owner._listeners.Where(l => l != listener)];
                owner._sessionListeners = [.. owner._sessionListeners.Where(l => l != listener)];
            }
        }
    }
}
