using KonnectLive.Core.Users;
using StackExchange.Redis;

namespace KonnectLive.Desktop.Cluster;

/// <summary>
/// Carries "end this user's sessions now" (disable, password reset, new rights) to every other instance, whose
/// circuits and /hubs/live connections of that user end within a Redis round trip. The instance that raised it has
/// already told its own listeners (<see cref="SessionRevocations.Revoke"/>), so it ignores its own message. A logout
/// (one session, <see cref="SessionRevocations.RevokeSession"/>) goes the same way; the cookie itself is refused everywhere
/// by the revoked-sessions table, with or without Redis.
/// </summary>
internal sealed class RedisSessionRevocations(RedisCluster redis, SessionRevocations revocations, ILogger<RedisSessionRevocations> logger)
    : IHostedService
{
    private ChannelMessageQueue? _queue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _queue = await redis.Subscriber.SubscribeAsync(redis.Channel("revocations"));
        _queue.OnMessage(message =>
        {
            var text = (string)message.Message!;
            var split = text.IndexOf('|');
            if (split <= 0 || text[..split] == redis.InstanceId) return;
            var userId = text[(split + 1)..];
            if (userId.StartsWith(SessionPrefix, StringComparison.Ordinal))
            {
                revocations.RevokeSessionHere(userId[SessionPrefix.Length..]); // a logout: that sign-in's circuits here close
                return;
            }
            logger.LogInformation("Ending sessions of user {UserId} here: another instance revoked them", userId);
            revocations.RevokeHere(userId);
        });
        revocations.Relay = userId => _ = PublishAsync(userId);
        revocations.SessionRelay = sessionId => _ = PublishAsync(SessionPrefix + sessionId);
    }

    /// <summary>Marks a logout's session id in the message; user ids never start with it.</summary>
    private const string SessionPrefix = "session:";

    private async Task PublishAsync(string userId)
    {
        try
        {
            await redis.Subscriber.PublishAsync(redis.Channel("revocations"), $"{redis.InstanceId}|{userId}");
        }
        catch (Exception ex)
        {
            // The security-stamp check on the other instances still ends those sessions within its interval.
            logger.LogWarning(ex, "Could not tell the other instances to end the sessions of user {UserId}", userId);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        revocations.Relay = null;
        revocations.SessionRelay = null;
        if (_queue is not null) await RedisCluster.BoundedAsync(_queue.UnsubscribeAsync(), cancellationToken);
    }
}
