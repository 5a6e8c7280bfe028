using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Reports;

public static class ReportsServiceCollectionExtensions
{
    /// <summary>The outcomes report and the survey status funnel.</summary>
    public static IServiceCollection AddKonnectLiveReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportsService>();
        return services;
    }
}
