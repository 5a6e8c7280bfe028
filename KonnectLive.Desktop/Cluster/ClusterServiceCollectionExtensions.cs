using System.Net;
using KonnectLive.Core.Cluster;
using KonnectLive.Core.Live;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Desktop.Cluster;

/// <summary>
/// Scale-out: with <c>Redis:Configuration</c> set, live events, session revocation, presence and the leadership of
/// cluster-wide jobs go through Redis; without it every seam keeps its in-process default (one instance). Forwarded
/// headers are honoured from the proxies named in <c>ForwardedHeaders:KnownProxies</c>.
/// </summary>
public static class ClusterServiceCollectionExtensions
{
    public const string KnownProxiesKey = "ForwardedHeaders:KnownProxies";

    public static IServiceCollection AddKonnectLiveCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            // Only the configured proxies are believed: anyone else could claim any address in X-Forwarded-For.
            foreach (var proxy in configuration.GetSection(KnownProxiesKey).Get<string[]>() ?? [])
                o.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
        });

        var redis = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        if (!redis.Enabled) return services;

        services.AddSingleton<RedisCluster>();
        // Delivery only from the subscription (see RedisLiveEvents): the publisher is also the hosted subscriber.
        services.AddSingleton<RedisLiveEvents>();
        services.Replace(ServiceDescriptor.Singleton<ILiveEventPublisher>(sp => sp.GetRequiredService<RedisLiveEvents>()));
        services.AddHostedService(sp => sp.GetRequiredService<RedisLiveEvents>());
        services.AddHostedService<RedisSessionRevocations>();
        services.AddHostedService<RedisPresence>();
        services.Replace(ServiceDescriptor.Singleton<IClusterLeadership, RedisClusterLeadership>());
        return services;
    }

    /// <summary>First in the pipeline, so that the rate limiter, the audit log and the cookie see the client, not the proxy.</summary>
    public static WebApplication UseKonnectLiveForwardedHeaders(this WebApplication app)
    {
        if (app.Configuration.GetSection(KnownProxiesKey).Get<string[]>() is { Length: > 0 })
            app.UseForwardedHeaders();
        return app;
    }
}
