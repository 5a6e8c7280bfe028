using KonnectLive.Core.Telephony.AgentStates;
using KonnectLive.Core.Telephony.Dialing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core.Telephony;

public static class TelephonyServiceCollectionExtensions
{
    /// <summary>The telephony provider's settings, click-to-dial and agent states.</summary>
    public static IServiceCollection AddKonnectLiveTelephony(this IServiceCollection services, IConfiguration configuration)
    {
        // Core's assembly scan registers it as IValidator<TelephonySettingsInput>; the service wants the concrete type.
        services.TryAddSingleton<TelephonySettingsInputValidator>();
        services.TryAddSingleton<AfterCallWorkInputValidator>();
        services.AddSingleton<TelephonySettingsService>();
        services.AddHttpClient(ClickToDialService.HttpClientName);
        services.AddSingleton<ClickToDialService>();
        services.AddOptions<AgentStateOptions>().Bind(configuration.GetSection(AgentStateOptions.Section))
            .Validate(o => o.MaxCallMinutes is >= 0 and <= 24 * 60, "AgentStates:MaxCallMinutes is 0 (off) to 1440 minutes.").ValidateOnStart();
        services.AddSingleton<AgentStateService>();
        services.AddSingleton<AgentStateReport>();
        services.AddHostedService<AfterCallWorkSweeper>();
        return services;
    }
}
