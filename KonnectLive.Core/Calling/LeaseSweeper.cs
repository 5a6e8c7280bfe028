using KonnectLive.Core.Cluster;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Calling;

/// <summary>
/// The chase list's clock: releases leases whose agents stopped renewing them (a closed laptop, a lost network), and
/// announces call-backs falling due and reservations lapsing (<see cref="CallbackAnnouncer"/>).
/// </summary>
public sealed class LeaseSweeper(
    CallLockService locks,
    IDbContextFactory<KonnectDbContext> dbFactory,
    ILiveEventPublisher live,
    TimeProvider time,
    IOptions<LockOptions> options,
    IClusterLeadership leadership,
    ILogger<LeaseSweeper> logger)
    : BackgroundService
{
    private readonly CallbackAnnouncer _callbacks = new(dbFactory, live);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, options.Value.SweepEverySeconds));
        // In memory only: after a restart the first window reaches one interval back (see CallbackAnnouncer for why that is enough).
        var lastCheck = time.GetUtcNow().UtcDateTime - every;
        using var timer = new PeriodicTimer(every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // With several instances one of them sweeps and announces each interval (the others would only repeat it).
            bool leading;
            try
            {
                leading = await leadership.TryLeadAsync("lease-sweeper", every, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not tell whether this instance sweeps; sweeping anyway (the sweep is idempotent)");
                leading = true;
            }
            if (!leading)
            {
                lastCheck = time.GetUtcNow().UtcDateTime; // the leader announced this window
                continue;
            }
            try
            {
                await locks.SweepExpiredAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Sweeping expired call locks failed; will try again");
            }

            var now = time.GetUtcNow().UtcDateTime;
            try
            {
                await _callbacks.AnnounceAsync(lastCheck, now, stoppingToken);
                lastCheck = now; // only once announced: a failed run's window is covered by the next one
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Announcing due call-backs failed; will try again");
            }
        }
    }
}
