using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Inbound;

public static class InboundServiceCollectionExtensions
{
    /// <summary>API clients, tokens and survey-record ingest.</summary>
    public static IServiceCollection AddKonnectLiveInbound(this IServiceCollection services, IConfiguration configuration) => services;
}
