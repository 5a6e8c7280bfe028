using StackExchange.Redis;

namespace KonnectLive.Desktop.Cluster;

/// <summary>Scale-out settings. With <see cref="Configuration"/> empty (the default) every instance keeps its state in memory.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>. Empty: no Redis, one instance.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key and channel, so that several KonnectLive clusters can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "konnectlive";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}

/// <summary>
/// The one Redis connection of this instance, and the instance's name in the cluster. Connects without failing when
/// Redis is down (StackExchange.Redis keeps retrying); /health/ready says so meanwhile.
/// </summary>
public sealed class RedisCluster : IDisposable
{
    public RedisCluster(Microsoft.Extensions.Options.IOptions<RedisOptions> options, ILogger<RedisCluster> logger)
    {
        var config = ConfigurationOptions.Parse(options.Value.Configuration!);
        config.AbortOnConnectFail = false;
        config.ClientName = $"konnectlive-{Environment.MachineName}-{Environment.ProcessId}";
        _prefix = options.Value.KeyPrefix;
        Multiplexer = ConnectionMultiplexer.Connect(config);
        Multiplexer.ConnectionFailed += (_, e) => logger.LogWarning(e.Exception, "Redis connection lost ({FailureType}); live events reach other instances again when it returns", e.FailureType);
        Multiplexer.ConnectionRestored += (_, _) => logger.LogInformation("Redis connection restored");
    }

    private readonly string _prefix;

    public IConnectionMultiplexer Multiplexer { get; }

    /// <summary>This process's name in the cluster: unique per start, so a restarted instance is a new one.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^24];

    public IDatabase Database => Multiplexer.GetDatabase();

    public ISubscriber Subscriber => Multiplexer.GetSubscriber();

    public RedisKey Key(string name) => $"{_prefix}:{name}";

    public RedisChannel Channel(string name) => RedisChannel.Literal($"{_prefix}:{name}");

    /// <summary>
    /// For stopping: waits at most 2 s for a Redis call and ignores its failure. With Redis gone, StackExchange.Redis
    /// keeps some calls waiting for a reconnection; an instance must still stop when told to.
    /// </summary>
    public static async Task BoundedAsync(Task call, CancellationToken ct)
    {
        try
        {
            await call.WaitAsync(TimeSpan.FromSeconds(2), ct);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException) { }
    }

    public void Dispose()
    {
        // Close without waiting for queued commands: Redis may be gone already.
        try { Multiplexer.Close(allowCommandsToComplete: false); } catch (RedisException) { }
        Multiplexer.Dispose();
    }
}
