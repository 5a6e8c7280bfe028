using System.Data.Common;
using Bunit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Desktop.Components.Pages.Csi;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Pages.Csi;

/// <summary>
/// A lock event that arrives while a load of the chase list is reading (ClusterRaceTests' "row never free again" on a
/// starved cluster): the load read the row before the change, the event patched the rows it was about to replace, and
/// the load's older rows then stayed on screen with no event left to correct them. The page must end with the row as
/// the database has it.
/// </summary>
public sealed class ChaseListLoadRaceTests : CsiPageTest
{
    private readonly HoldPageRead _hold = new();

    public ChaseListLoadRaceTests()
    {
        Ctx.Services.ConfigureDbContext<KonnectDbContext>(o => o.AddInterceptors(_hold));
    }

    /// <summary>When armed, holds the next chase-list page read after the database has answered it (its rows are read).</summary>
    private sealed class HoldPageRead : DbCommandInterceptor
    {
        private volatile bool _armed;
        public TaskCompletionSource Holding { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Arm()
        {
            Holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _armed = true;
        }

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            // The page's rows (not the count): the query that reads who holds each row's lock.
            if (_armed && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.Ordinal)
                && command.CommandText.Contains("\"LockHolderName\"") && !command.CommandText.Contains("COUNT("))
            {
                _armed = false;
                Holding.TrySetResult();
                await Release.Task;
            }
            return result;
        }
    }

    [Fact]
    public async Task LockReleasedWhileALoadIsReading_TheRowEndsFree_NotAsTheLoadReadIt()
    {
        var recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await LockAsAsync(Other, recordId);
        var cut = RenderChaseList();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=lock-badge]")), Patience);

        // A live reload (another record joined the list) reads the rows while Bob still holds Ada, and is held there.
        await AddRecordAsync("Mr", "Charles", "Babbage");
        _hold.Arm();
        await Ctx.Services.GetRequiredService<ILiveEventPublisher>().PublishAsync(new LiveEvent(LiveEventKind.RecordAdded, DealershipId, 0));
        try
        {
            await _hold.Holding.Task.WaitAsync(Patience);

            // Bob gives Ada back meanwhile: the event patches the row on screen at once…
            Assert.True(await Locks.ReleaseAsync(Other, recordId, TestPage.Token));
            cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=lock-badge]")), Patience);

            // …then the held load finishes with what it read before the release.
            Time.Advance(ChaseList.ReloadInterval);
        }
        finally
        {
            _hold.Release.TrySetResult(); // never leave a read held, whatever failed
        }

        // Two customers on screen (the load's own change), and Ada free: as the database says, for good.
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=customer-name]").Count), Patience);
        await Task.Delay(500);
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[data-testid=lock-badge]"));
            Assert.Equal(2, cut.FindAll("[data-testid=lock-free]").Count);
        }, Patience);
    }
}
