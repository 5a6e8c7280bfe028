using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KonnectLive.Tests.Core;

/// <summary>Open chase lists hear about call-backs falling due and reservations lapsing, with nobody acting.</summary>
public sealed class CallbackAnnouncerTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private UserScope _nadia = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private CallbackAnnouncer Announcer => new(
        _db.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>(), _db.Services.GetRequiredService<ILiveEventPublisher>());

    private async Task<int> BookCallBackAsync(TimeSpan dueIn)
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: ["+447700900123"]);
        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(record.Id,
            await _db.OutcomeIdAsync(DatabaseInitializer.CallBackLaterOutcome), null, _db.Now, null, CallbackAt: _db.Now + dueIn));
        return record.Id;
    }

    [Fact]
    public async Task AnnounceAsync_CallBackFallsDueInTheWindow_RecordAddedOnceThenReservationLapse()
    {
        var recordId = await BookCallBackAsync(TimeSpan.FromMinutes(30));
        var start = _db.Now;
        _db.ClearEvents();

        Assert.Equal(0, await Announcer.AnnounceAsync(start, start.AddMinutes(29)));
        Assert.Equal(1, await Announcer.AnnounceAsync(start.AddMinutes(29), start.AddMinutes(30)));
        Assert.Equal(0, await Announcer.AnnounceAsync(start.AddMinutes(30), start.AddMinutes(31))); // not again
        Assert.Equal(1, await Announcer.AnnounceAsync(start.AddMinutes(31), start.AddMinutes(90))); // reserved for 60 minutes

        Assert.Collection(_db.Events,
            e =>
            {
                Assert.Equal(LiveEventKind.RecordAdded, e.Kind);
                Assert.Equal(recordId, e.RecordId);
                Assert.Equal(_north.Id, e.DealershipId);
                Assert.Equal(CallbackAnnouncer.DueReason, e.Reason);
            },
            e =>
            {
                Assert.Equal(LiveEventKind.RecordChanged, e.Kind);
                Assert.Equal(recordId, e.RecordId);
                Assert.Equal(CallbackAnnouncer.LapsedReason, e.Reason);
                Assert.Equal("Nadia North", e.AgentName);
            });
    }

    [Fact]
    public async Task AnnounceAsync_CallBackReplacedByAnotherOutcome_NothingAnnounced()
    {
        var recordId = await BookCallBackAsync(TimeSpan.FromMinutes(30));
        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId,
            await _db.OutcomeIdAsync(DatabaseInitializer.WillCompleteOutcome), null, _db.Now, null));
        _db.ClearEvents();

        Assert.Equal(0, await Announcer.AnnounceAsync(_db.Now, _db.Now.AddHours(3)));
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task LeaseSweeper_CallBackFallsDue_PublishesRecordAddedWithoutAnyoneActing()
    {
        var recordId = await BookCallBackAsync(TimeSpan.FromMinutes(5));
        _db.ClearEvents();
        var sweeper = _db.Services.GetServices<IHostedService>().OfType<LeaseSweeper>().Single();
        await sweeper.StartAsync(CancellationToken.None);
        try
        {
            await AdvanceAsync(TimeSpan.FromMinutes(4));
            Assert.DoesNotContain(_db.Events, e => e.Kind == LiveEventKind.RecordAdded);

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!_db.Events.Any(e => e.Kind == LiveEventKind.RecordAdded) && DateTime.UtcNow < deadline)
                await AdvanceAsync(TimeSpan.FromSeconds(10));

            var added = Assert.Single(_db.Events, e => e.Kind == LiveEventKind.RecordAdded);
            Assert.Equal(recordId, added.RecordId);
            Assert.Equal(CallbackAnnouncer.DueReason, added.Reason);
            Assert.Contains(recordId, (await _db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 10))).Rows.Select(r => r.RecordId));
        }
        finally
        {
            await sweeper.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Small steps with a real pause: the sweeper's timer continuation runs on the thread pool.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        for (var step = TimeSpan.Zero; step < by; step += TimeSpan.FromSeconds(5))
        {
            _db.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(5);
        }
    }
}
