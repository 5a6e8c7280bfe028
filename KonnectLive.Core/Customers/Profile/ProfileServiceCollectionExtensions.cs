using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Customers.Profile;

public static class ProfileServiceCollectionExtensions
{
    /// <summary>Contact lookup, the customer page's data, editing contacts and interaction history.</summary>
    public static IServiceCollection AddKonnectLiveCustomerProfile(this IServiceCollection services)
    {
        // ContactInputValidator is registered by AddKonnectLiveCore's assembly scan.
        services.AddSingleton<InteractionHistoryQuery>();
        services.AddSingleton<ContactLookup>();
        services.AddSingleton<CustomerProfileService>();
        return services;
    }
}
