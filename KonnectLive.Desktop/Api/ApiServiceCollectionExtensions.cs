namespace KonnectLive.Desktop.Api;

/// <summary>The inbound FOCUS API: token endpoint, bearer authentication, record ingest, OpenAPI docs.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddKonnectLiveApi(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        return services;
    }

    public static IEndpointRouteBuilder MapKonnectLiveApi(this IEndpointRouteBuilder app) => app;
}
