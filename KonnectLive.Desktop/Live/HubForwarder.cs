using KonnectLive.Core.Live;
using Microsoft.AspNetCore.SignalR;

namespace KonnectLive.Desktop.Live;

/// <summary>Carries every live event heard in this process to the hub's clients that may see its dealership.</summary>
internal sealed class HubForwarder(ILiveEventSubscriptions subscriptions, IHubContext<LiveHub, ILiveClient> hub) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A screen pop names a caller's number: it goes to the agent it is for, not to everyone who may see the dealership.
        _subscription = subscriptions.Subscribe(e => e.Kind == LiveEventKind.CallPop
            ? e.AgentId is { } agent ? hub.Clients.User(agent).LiveEvent(e) : Task.CompletedTask
            : hub.Clients.Groups(LiveHub.DealershipGroup(e.DealershipId), LiveHub.HeadOfficeGroup).LiveEvent(e));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}

public static class LiveServiceCollectionExtensions
{
    public static IServiceCollection AddKonnectLiveLive(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddSingleton<LiveHubConnections>();
        services.AddHostedService<HubForwarder>();
        return services;
    }

    public static IEndpointRouteBuilder MapLiveHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<LiveHub>(LiveHub.Path);
        return app;
    }
}
