namespace KonnectLive.Desktop.Scheduling;

/// <summary>Quartz (persistent store) and the message dispatcher job.</summary>
public static class SchedulingServiceCollectionExtensions
{
    public static IServiceCollection AddKonnectLiveScheduling(this IServiceCollection services, IConfiguration configuration) => services;
}
