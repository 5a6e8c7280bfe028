using System.Text.Json;
using KonnectLive.Desktop.Live;
using StackExchange.Redis;

namespace KonnectLive.Desktop.Cluster;

/// <summary>
/// Cluster-wide "who is signed in" for the supervisor board. Each instance keeps its own users in a Redis hash
/// (<c>presence:{instance}</c>, user id → user) that expires unless renewed by a heartbeat, and lists itself in a
/// sorted set scored by its last heartbeat. On a change here it rewrites its hash at once and says so on a channel;
/// the others then re-read. An instance that dies without a word drops off the board when its hash expires.
/// ("On a call" needs nothing here: calls in progress are read from the lock columns and the phone system's call legs in the shared database.)
/// </summary>
internal sealed class RedisPresence(RedisCluster redis, PresenceTracker tracker, TimeProvider time, ILogger<RedisPresence> logger) : BackgroundService
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changes = await redis.Subscriber.SubscribeAsync(redis.Channel("presence"));
        changes.OnMessage(m => { if ((string?)m.Message != redis.InstanceId) _ = RefreshOthersAsync(); });
        void OnChangedHere() => _wake.Release();
        tracker.ChangedHere += OnChangedHere;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await WriteOwnAsync();
                    await redis.Subscriber.PublishAsync(redis.Channel("presence"), redis.InstanceId);
                    await RefreshOthersAsync();
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    logger.LogWarning(ex, "Could not share presence through Redis; the board shows this instance's users only until it returns");
                }
                await _wake.WaitAsync(Heartbeat, stoppingToken);
                while (_wake.CurrentCount > 0) await _wake.WaitAsync(stoppingToken); // several changes, one write
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            tracker.ChangedHere -= OnChangedHere;
            await RedisCluster.BoundedAsync(changes.UnsubscribeAsync(), CancellationToken.None);
            // A clean stop leaves the board at once instead of after the expiry.
            await RedisCluster.BoundedAsync(redis.Database.KeyDeleteAsync(redis.Key($"presence:{redis.InstanceId}")), CancellationToken.None);
            await RedisCluster.BoundedAsync(redis.Database.SortedSetRemoveAsync(redis.Key("presence:instances"), redis.InstanceId), CancellationToken.None);
            await RedisCluster.BoundedAsync(redis.Subscriber.PublishAsync(redis.Channel("presence"), redis.InstanceId), CancellationToken.None);
        }
    }

    private async Task WriteOwnAsync()
    {
        var key = redis.Key($"presence:{redis.InstanceId}");
        var users = tracker.SignedInHere();
        var tx = redis.Database.CreateTransaction();
        _ = tx.KeyDeleteAsync(key);
        if (users.Count > 0)
        {
            _ = tx.HashSetAsync(key, users.Select(u => new HashEntry(u.UserId, JsonSerializer.Serialize(u))).ToArray());
            _ = tx.KeyExpireAsync(key, Expiry);
        }
        _ = tx.SortedSetAddAsync(redis.Key("presence:instances"), redis.InstanceId, time.GetUtcNow().ToUnixTimeMilliseconds());
        await tx.ExecuteAsync();
    }

    private async Task RefreshOthersAsync()
    {
        try
        {
            var db = redis.Database;
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await db.SortedSetRemoveRangeByScoreAsync(redis.Key("presence:instances"), double.NegativeInfinity, now - Expiry.TotalMilliseconds);
            var instances = await db.SortedSetRangeByScoreAsync(redis.Key("presence:instances"));
            var others = new List<PresentUser>();
            foreach (var instance in instances.Select(i => (string)i!).Where(i => i != redis.InstanceId))
            {
                foreach (var entry in await db.HashValuesAsync(redis.Key($"presence:{instance}")))
                {
                    if (JsonSerializer.Deserialize<PresentUser>((string)entry!) is { } user) others.Add(user);
                }
            }
            tracker.SetOtherInstances(others);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            logger.LogWarning(ex, "Could not read the other instances' presence from Redis");
        }
    }
}
