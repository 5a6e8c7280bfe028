using KonnectLive.Core.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Retention;

/// <summary>
/// Runs <see cref="RetentionPurge"/> once a day (first <see cref="RetentionOptions.FirstRunAfterMinutes"/> after start). Like the lease
/// sweeper, one instance of a cluster leads the job (<see cref="IClusterLeadership"/>, job "retention"); the purge is idempotent, so a
/// second runner after a leadership hand-over only finds nothing to do.
/// </summary>
public sealed class RetentionJob(RetentionPurge purge, IClusterLeadership leadership, TimeProvider time, IOptions<RetentionOptions> options,
    ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromHours(Math.Max(0.01, options.Value.RunEveryHours));
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(Math.Max(0, options.Value.FirstRunAfterMinutes)), time, stoppingToken);
            do
            {
                await RunOnceAsync(every, stoppingToken);
            }
            while (await WaitAsync(every, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task<bool> WaitAsync(TimeSpan every, CancellationToken ct)
    {
        await Task.Delay(every, time, ct);
        return true;
    }

    private async Task RunOnceAsync(TimeSpan every, CancellationToken ct)
    {
        try
        {
            if (!await leadership.TryLeadAsync("retention", every, ct)) return;
            await purge.RunAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "The retention clean-up failed; it runs again at the next interval");
        }
    }
}
