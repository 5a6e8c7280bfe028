using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Customers.Duplicates;

public static class DuplicatesServiceCollectionExtensions
{
    /// <summary>Customers → Possible duplicates: the pairs, merging, "different people".</summary>
    public static IServiceCollection AddKonnectLiveCustomerDuplicates(this IServiceCollection services)
    {
        services.AddSingleton<PossibleDuplicatesService>();
        return services;
    }
}
