using KonnectLive.Core.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Core.Telephony.AgentStates;

/// <summary>Every few seconds, ends (or flags) wrap-up that has passed the limit, and ends On call whose calls lost their end event. One instance of a cluster leads; the work is conditional anyway.</summary>
public sealed class AfterCallWorkSweeper(AgentStateService states, TimeProvider time, IClusterLeadership leadership, ILogger<AfterCallWorkSweeper> logger)
    : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await leadership.TryLeadAsync("after-call-work", Every, stoppingToken))
                {
                    await states.ApplyAfterCallWorkLimitAsync(stoppingToken);
                    if (await states.ApplyMaxCallTimeAsync(stoppingToken) is > 0 and var stale)
                        logger.LogWarning("{Count} agent(s) were On call past the maximum call time with no end event; set Not ready", stale);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Applying the wrap-up limit failed; will try again");
            }
        }
    }
}
