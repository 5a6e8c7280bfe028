using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core.Customers.Fields;

public static class FieldsServiceCollectionExtensions
{
    /// <summary>Admin-defined custom fields and their values.</summary>
    public static IServiceCollection AddKonnectLiveCustomFields(this IServiceCollection services)
    {
        // Core's assembly scan registers it as IValidator<CustomFieldInput>; the service and the form want the concrete type.
        services.TryAddSingleton<CustomFieldInputValidator>();
        services.AddSingleton<CustomFieldService>();
        services.AddSingleton<CustomFieldValueService>();
        return services;
    }
}
