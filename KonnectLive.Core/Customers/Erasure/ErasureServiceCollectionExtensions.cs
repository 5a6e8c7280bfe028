using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Customers.Erasure;

public static class ErasureServiceCollectionExtensions
{
    /// <summary>Export and erase a customer on request.</summary>
    public static IServiceCollection AddKonnectLiveCustomerErasure(this IServiceCollection services)
    {
        services.AddSingleton<CustomerDataExport>();
        services.AddSingleton<CustomerEraser>();
        return services;
    }
}
