using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace KonnectLive.Desktop.Live;

/// <summary>What a hub client receives.</summary>
public interface ILiveClient
{
    Task LiveEvent(LiveEvent liveEvent);

    /// <summary>
    /// Sent once, when the connection has joined its group: every event published from then on reaches it. A client's
    /// <c>StartAsync</c> returns at the handshake, before the hub has checked the account and joined the group, so a client
    /// that needs every event from some moment (a wallboard that loads the list, then applies events) waits for this.
    /// </summary>
    Task Subscribed();
}

/// <summary>
/// Live events for non-Blazor clients (wallboards, integrations, benchmarks). Receive-only: a client joins
/// its dealership's group (head office: every dealership) and is sent events; it cannot send any.
/// </summary>
[Authorize(Policy = Identity.Policies.LiveEvents)]
public sealed class LiveHub(UserScopeLoader scopes, LiveHubConnections connections, ILogger<LiveHub> logger) : Hub<ILiveClient>
{
    public const string Path = "/hubs/live";
    public const string HeadOfficeGroup = "dealership:all";
    public static string DealershipGroup(int dealershipId) => $"dealership:{dealershipId}";

    public override async Task OnConnectedAsync()
    {
        var scope = Context.UserIdentifier is { } id ? await scopes.LoadAsync(id, Context.ConnectionAborted) : null;
        // The policy read the cookie; the database has the final word (the account may have changed since sign-in).
        if (scope is null || !(scope.CanCall || scope.IsInRole(Roles.Supervisor) || scope.IsInRole(Roles.Admin)))
        {
            logger.LogWarning("Live hub connection refused for {User}: not allowed to see the chase list", Context.UserIdentifier);
            Context.Abort();
            return;
        }
        var group = scope.DealershipId is { } d ? DealershipGroup(d) : HeadOfficeGroup;
        await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        connections.Add(scope.UserId, Context.User?.FindFirst(KonnectClaims.SessionId)?.Value, Context);
        await base.OnConnectedAsync();
        await Clients.Caller.Subscribed();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>
/// The hub connections open in this instance, by user, so that a disabled user's connections are closed at once
/// (<see cref="SessionRevocations"/>) rather than receiving events until they reconnect.
/// </summary>
public sealed class LiveHubConnections : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string UserId, string? SessionId, HubCallerContext Context)> _open = new();
    private readonly IDisposable _subscription;
    private readonly IDisposable _sessionSubscription;
    private readonly ILogger<LiveHubConnections> _logger;

    public LiveHubConnections(SessionRevocations revocations, ILogger<LiveHubConnections> logger)
    {
        _logger = logger;
        _subscription = revocations.Subscribe(AbortUser);
        _sessionSubscription = revocations.SubscribeSessions(AbortSession); // a logout: that sign-in's connections only
    }

    public int Count => _open.Count;

    public void Add(string userId, string? sessionId, HubCallerContext context) => _open[context.ConnectionId] = (userId, sessionId, context);

    public void Remove(string connectionId) => _open.TryRemove(connectionId, out _);

    private void AbortUser(string userId) => Abort(c => c.UserId == userId);

    private void AbortSession(string sessionId) => Abort(c => c.SessionId == sessionId);

    private void Abort(Func<(string UserId, string? SessionId, HubCallerContext Context), bool> which)
    {
        foreach (var (id, open) in _open.Where(c => which(c.Value)).ToList())
        {
            _logger.LogInformation("Closing live hub connection {ConnectionId}: the user's sessions were ended", id);
            open.Context.Abort();
            _open.TryRemove(id, out _);
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _sessionSubscription.Dispose();
    }
}
