using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>The retention settings, the purge and its daily job.</summary>
    public static IServiceCollection AddKonnectLiveRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.RunEveryHours > 0 && o.BatchSize > 0, "Retention: RunEveryHours and BatchSize must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<RetentionSettingsInputValidator>();
        services.AddSingleton<RetentionSettingsService>();
        services.AddSingleton<RetentionPurge>();
        services.AddHostedService<RetentionJob>();
        return services;
    }
}
