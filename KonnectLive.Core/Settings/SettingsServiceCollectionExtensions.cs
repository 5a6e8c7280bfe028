using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core.Settings;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>The CSI settings service and the inbound log query.</summary>
    public static IServiceCollection AddKonnectLiveSettings(this IServiceCollection services, IConfiguration configuration)
    {
        // Core's assembly scan registers it as IValidator<CsiSettingsInput>; the service and the form want the concrete type.
        services.TryAddSingleton<CsiSettingsInputValidator>();
        services.AddSingleton<CsiSettingsService>();
        services.AddSingleton<InboundLogQuery>();
        services.TryAddSingleton<SecuritySettingsInputValidator>();
        services.AddSingleton<SecuritySettingsService>();
        return services;
    }
}
