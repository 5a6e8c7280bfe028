using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core.Inbound;

public static class InboundServiceCollectionExtensions
{
    /// <summary>API clients, tokens and survey-record ingest.</summary>
    public static IServiceCollection AddKonnectLiveInbound(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InboundApiOptions>().Bind(configuration.GetSection(InboundApiOptions.Section))
            .Validate(o => o.TokenLifetimeMinutes > 0 && o.TokenRequestsPerMinute > 0 && o.MaxBodyBytes > 0 && o.MaxRecordsPerBatch > 0
                           && o.FutureToleranceMinutes >= 0,
                "InboundApi: TokenLifetimeMinutes, TokenRequestsPerMinute, MaxBodyBytes and MaxRecordsPerBatch must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<IPasswordHasher<ApiClient>, PasswordHasher<ApiClient>>();
        services.AddSingleton<ApiClientService>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<InboundRequestLog>();
        services.AddSingleton<CsiIngestService>();
        services.AddSingleton<Telephony.TelephonyEventService>();
        services.AddSingleton<Telephony.ScreenPopQuery>();
        return services;
    }
}
