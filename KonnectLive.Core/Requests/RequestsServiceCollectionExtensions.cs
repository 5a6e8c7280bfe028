using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core.Requests;

public static class RequestsServiceCollectionExtensions
{
    /// <summary>Request types (Configuration → Request Types), the requests agents raise, and their queries.</summary>
    public static IServiceCollection AddKonnectLiveRequests(this IServiceCollection services)
    {
        // Core's assembly scan registers it as IValidator<RequestTypeInput>; the service and the form want the concrete type.
        services.TryAddSingleton<RequestTypeInputValidator>();
        services.AddSingleton<RequestTypeService>();
        services.AddSingleton<CustomerRequestService>();
        services.AddSingleton<RequestsQuery>();
        return services;
    }
}
