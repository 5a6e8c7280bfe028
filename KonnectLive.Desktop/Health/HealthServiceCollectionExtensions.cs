using KonnectLive.Core.Data;
using KonnectLive.Desktop.Cluster;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace KonnectLive.Desktop.Health;

/// <summary>
/// <c>/health/live</c>: the process answers (no checks, for a restart policy). <c>/health/ready</c>: the database,
/// Redis when configured, and the scheduler are usable (for a load balancer or an orchestrator). Both anonymous.
/// </summary>
public static class HealthServiceCollectionExtensions
{
    private const string Ready = "ready";

    public static IServiceCollection AddKonnectLiveHealth(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks()
            .AddDbContextCheck<KonnectDbContext>("database", tags: [Ready])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: [Ready]);
        if (string.Equals(configuration["Storage:Provider"], "PostgreSQL", StringComparison.OrdinalIgnoreCase)
            && configuration.GetConnectionString("KonnectLive") is { Length: > 0 } pg)
            checks.AddNpgSql(pg, name: "postgresql", tags: [Ready]);
        if ((configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new()).Enabled)
            checks.AddRedis(sp => sp.GetRequiredService<RedisCluster>().Multiplexer, name: "redis", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapKonnectLiveHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) }).AllowAnonymous();
        return app;
    }
}

/// <summary>Ready when Quartz has started and is neither shut down nor in standby (messages would not be sent).</summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var status = await scheduler.GetStatus(cancellationToken);
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"{scheduler.SchedulerName} running")
            : HealthCheckResult.Unhealthy($"{scheduler.SchedulerName} is {status}: messages are not being sent");
    }
}
