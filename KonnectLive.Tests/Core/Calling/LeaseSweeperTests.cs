using KonnectLive.Core.Calling;
using KonnectLive.Core.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KonnectLive.Tests.Core;

public sealed class LeaseSweeperTests
{
    [Fact]
    public async Task ExecuteAsync_AgentStopsRenewing_ReleasesLeaseAfterItExpires()
    {
        await using var db = await CoreTestDatabase.CreateAsync();
        var north = await db.AddDealershipAsync();
        var record = await db.AddAwaitingRecordAsync(north.Id);
        var nadia = CoreTestDatabase.Agent("Nadia North", north.Id);
        await db.Locks.AcquireAsync(nadia, record.Id, TestPage.Token);
        var sweeper = db.Services.GetServices<IHostedService>().OfType<LeaseSweeper>().Single();
        await sweeper.StartAsync(CancellationToken.None);
        try
        {
            // Small steps with a real pause: the timer's continuation runs on the thread pool.
            await AdvanceAsync(db, TimeSpan.FromSeconds(CoreTestDatabase.LeaseSeconds - 1));
            Assert.Equal(nadia.UserId, (await db.GetRecordAsync(record.Id)).LockHolderId);
            Assert.DoesNotContain(db.Events, e => e.Kind == LiveEventKind.LockReleased);

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!db.Events.Any(e => e.Kind == LiveEventKind.LockReleased) && DateTime.UtcNow < deadline)
                await AdvanceAsync(db, TimeSpan.FromSeconds(1));

            var released = Assert.Single(db.Events, e => e.Kind == LiveEventKind.LockReleased);
            Assert.Equal("expired", released.Reason);
            Assert.Equal(record.Id, released.RecordId);
            Assert.Null((await db.GetRecordAsync(record.Id)).LockHolderId);
        }
        finally
        {
            await sweeper.StopAsync(CancellationToken.None);
        }
    }

    private static async Task AdvanceAsync(CoreTestDatabase db, TimeSpan by)
    {
        for (var step = TimeSpan.Zero; step < by; step += TimeSpan.FromSeconds(1))
        {
            db.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
    }
}
