using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Settings;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>The CSI settings service and the inbound log query.</summary>
    public static IServiceCollection AddKonnectLiveSettings(this IServiceCollection services, IConfiguration configuration) => services;
}
