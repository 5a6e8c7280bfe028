using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Customers.Profile;

public static class ProfileServiceCollectionExtensions
{
    /// <summary>Contact lookup, the customer page's data, editing contacts and interaction history.</summary>
    public static IServiceCollection AddKonnectLiveCustomerProfile(this IServiceCollection services) => services;
}
