using KonnectLive.Core.Calling;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Supervision;

public static class SupervisionServiceCollectionExtensions
{
    /// <summary>The live board's queries and the supervisor's force release.</summary>
    public static IServiceCollection AddKonnectLiveSupervision(this IServiceCollection services)
    {
        services.AddSingleton<CallsInProgressQuery>();
        services.AddSingleton<TodayFiguresQuery>();
        services.AddSingleton<ForceReleaseService>();
        return services;
    }
}
