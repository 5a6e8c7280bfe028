using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace KonnectLive.Desktop.Live;

/// <summary>What a hub client receives.</summary>
public interface ILiveClient
{
    Task LiveEvent(LiveEvent liveEvent);
}

/// <summary>
/// Live events for non-Blazor clients (wallboards, integrations, benchmarks). Receive-only: a client joins
/// its dealership's group (head office: every dealership) and is sent events; it cannot send any.
/// </summary>
[Authorize(Policy = Identity.Policies.LiveEvents)]
public sealed class LiveHub(UserScopeLoader scopes, ILogger<LiveHub> logger) : Hub<ILiveClient>
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
        await base.OnConnectedAsync();
    }
}
