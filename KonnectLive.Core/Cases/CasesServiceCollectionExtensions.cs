using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core.Cases;

public static class CasesServiceCollectionExtensions
{
    /// <summary>Case records: the Cases list and its commands, and Configuration → Case Records.</summary>
    public static IServiceCollection AddKonnectLiveCases(this IServiceCollection services)
    {
        // Core's assembly scan registers it as IValidator<CaseRecordSettingsInput>; the service wants the concrete type.
        services.TryAddSingleton<CaseRecordSettingsInputValidator>();
        services.AddSingleton<CaseRecordSettingsService>();
        services.AddSingleton<CaseService>();
        return services;
    }
}
