using System.Diagnostics;
using System.Text.Json;
using KonnectLive.Core.Cluster;
using KonnectLive.Core.Live;
using StackExchange.Redis;

namespace KonnectLive.Desktop.Cluster;

/// <summary>
/// Live events across instances: a service's event is published to one Redis channel, and every instance — the
/// publishing one included — hands what it hears on that channel to its own circuits and hub clients. Delivery
/// happens only from the subscription, never also at publish time, so each listener hears each event once.
/// If Redis cannot take the event, this instance's own listeners still get it (the others catch up when their
/// pages next reload), so a Redis outage degrades to one-instance behaviour instead of failing the agent's action.
/// </summary>
internal sealed class RedisLiveEvents(RedisCluster redis, LiveEventBus bus, TimeProvider time, ILogger<RedisLiveEvents> logger)
    : ILiveEventPublisher, IHostedService
{
    private sealed record Envelope(string Origin, long SentAtUnixMs, LiveEvent Event);

    private ChannelMessageQueue? _queue;

    public async Task PublishAsync(LiveEvent liveEvent, CancellationToken ct = default)
    {
        var payload = JsonSerializer.Serialize(new Envelope(redis.InstanceId, time.GetUtcNow().ToUnixTimeMilliseconds(), liveEvent));
        try
        {
            await redis.Subscriber.PublishAsync(redis.Channel("live"), payload);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not publish {Kind} for record {RecordId} to Redis; telling this instance's listeners only", liveEvent.Kind, liveEvent.RecordId);
            await bus.DispatchAsync(liveEvent);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _queue = await redis.Subscriber.SubscribeAsync(redis.Channel("live"));
        // One queue, handled in order: events reach this instance's listeners in the order they were published.
        _queue.OnMessage(async message =>
        {
            Envelope? envelope;
            try
            {
                envelope = JsonSerializer.Deserialize<Envelope>((string)message.Message!);
            }
            catch (JsonException ex)
            {
                logger.LogWarning(ex, "Ignoring a live event from Redis that could not be read");
                return;
            }
            if (envelope is null) return;
            var started = Stopwatch.GetTimestamp();
            await bus.DispatchAsync(envelope.Event);
            KonnectLiveMetrics.EventFanOut(Stopwatch.GetElapsedTime(started),
                time.GetUtcNow().ToUnixTimeMilliseconds() - envelope.SentAtUnixMs, envelope.Origin == redis.InstanceId);
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue is not null) await RedisCluster.BoundedAsync(_queue.UnsubscribeAsync(), cancellationToken);
    }
}
