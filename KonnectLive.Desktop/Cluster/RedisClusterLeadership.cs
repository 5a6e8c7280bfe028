using KonnectLive.Core.Cluster;
using StackExchange.Redis;

namespace KonnectLive.Desktop.Cluster;

/// <summary>
/// One leader per job across the cluster: a Redis key holding the leader's instance id, renewed by the leader on
/// every tick and lapsing after three missed ticks, when the next instance to ask takes over. The leader keeps the
/// job while it lives, so its in-memory state (the announcer's last window) stays continuous.
/// </summary>
internal sealed class RedisClusterLeadership(RedisCluster redis) : IClusterLeadership
{
    private const string Script = """
        if redis.call('get', KEYS[1]) == ARGV[1] then
          redis.call('pexpire', KEYS[1], ARGV[2])
          return 1
        end
        if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    public async Task<bool> TryLeadAsync(string job, TimeSpan every, CancellationToken ct = default)
    {
        var lease = (long)Math.Max(3000, every.TotalMilliseconds * 3);
        var result = await redis.Database.ScriptEvaluateAsync(Script, [redis.Key($"leader:{job}")], [redis.InstanceId, lease]);
        var leading = (long)result == 1;
        KonnectLiveMetrics.Leadership(job, leading);
        return leading;
    }
}
