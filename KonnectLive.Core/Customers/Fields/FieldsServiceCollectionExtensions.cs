using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Customers.Fields;

public static class FieldsServiceCollectionExtensions
{
    /// <summary>Admin-defined custom fields and their values.</summary>
    public static IServiceCollection AddKonnectLiveCustomFields(this IServiceCollection services) => services;
}
