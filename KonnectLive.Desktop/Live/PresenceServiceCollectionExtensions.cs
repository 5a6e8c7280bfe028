using Microsoft.AspNetCore.Components.Server.Circuits;

namespace KonnectLive.Desktop.Live;

public static class PresenceServiceCollectionExtensions
{
    /// <summary>Who is signed in now: one tracker for the app, fed by a handler in every circuit.</summary>
    public static IServiceCollection AddKonnectLivePresence(this IServiceCollection services)
    {
        services.AddSingleton<PresenceTracker>();
        services.AddScoped<CircuitHandler, PresenceCircuitHandler>();
        return services;
    }
}
