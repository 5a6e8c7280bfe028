using KonnectLive.Core.Telephony.AgentStates;
using KonnectLive.Core.Telephony.Dialing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core.Telephony;

public static class TelephonyServiceCollectionExtensions
{
    /// <summary>The telephony provider's settings, click-to-dial and agent states.</summary>
    public static IServiceCollection AddKonnectLiveTelephony(this IServiceCollection services)
    {
        // Core's assembly scan registers it as IValidator<TelephonySettingsInput>; the service wants the concrete type.
        services.TryAddSingleton<TelephonySettingsInputValidator>();
        services.AddSingleton<TelephonySettingsService>();
        services.AddHttpClient(ClickToDialService.HttpClientName);
        services.AddSingleton<ClickToDialService>();
        services.AddSingleton<AgentStateService>();
        services.AddSingleton<AgentStateReport>();
        services.AddHostedService<AfterCallWorkSweeper>();
        return services;
    }
}
