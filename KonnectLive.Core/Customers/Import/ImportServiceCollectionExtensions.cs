using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Customers.Import;

public static class ImportServiceCollectionExtensions
{
    /// <summary>CSV bulk import of customers.</summary>
    public static IServiceCollection AddKonnectLiveCustomerImport(this IServiceCollection services) =>
        services.AddSingleton<CustomerImportService>();
}
