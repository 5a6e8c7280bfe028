using System.Data.Common;
using AngleSharp.Dom;
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
/// How the chase list follows live events: a lock patches the row on screen from the event with no database read; a
/// change of order or membership reloads, throttled (first at once, then one per interval, the last never lost).
/// Every SQL command the app runs is counted.
/// </summary>
public sealed class ChaseListLiveTests : CsiPageTest
{
    private readonly CommandCounter _commands = new();

    public ChaseListLiveTests()
    {
        Ctx.Services.ConfigureDbContext<KonnectDbContext>(o => o.AddInterceptors(_commands));
    }

    private ILiveEventPublisher Live => Ctx.Services.GetRequiredService<ILiveEventPublisher>();

    private IRenderedComponent<ChaseList> RenderList(int expectedRows)
    {
        var cut = RenderChaseList();
        cut.WaitForAssertion(() => Assert.Equal(expectedRows, cut.FindAll("[data-testid=customer-name]").Count), Patience);
        return cut;
    }

    private static IElement Row(IRenderedComponent<ChaseList> cut, string customer) =>
        cut.FindAll("tr").Single(tr => tr.QuerySelector("[data-testid=customer-name]")?.TextContent.Trim() == customer);

    /// <summary>Lets anything the render started finish, then reads the counter.</summary>
    private async Task<int> SettledCommandsAsync()
    {
        await Task.Delay(300);
        return _commands.Count;
    }

    [Fact]
    public async Task LockTaken_RowOnScreen_PatchedFromTheEventWithoutAQuery()
    {
        var ada = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await AddRecordAsync("Mr", "Charles", "Babbage");
        var cut = RenderList(expectedRows: 2);
        var before = await SettledCommandsAsync();

        await Live.PublishAsync(new LiveEvent(LiveEventKind.LockTaken, DealershipId, ada, "Mrs Ada Lovelace", Other.UserId, "Bob Jones"));

        cut.WaitForAssertion(() => Assert.Equal("Being called by Bob Jones",
            Row(cut, "Mrs Ada Lovelace").QuerySelector("[data-testid=lock-badge]")?.TextContent.Trim()), Patience);
        Assert.NotNull(Row(cut, "Mr Charles Babbage").QuerySelector("[data-testid=lock-free]"));
        Assert.Equal(before, await SettledCommandsAsync());

        await Live.PublishAsync(new LiveEvent(LiveEventKind.LockReleased, DealershipId, ada, AgentId: Other.UserId, AgentName: "Bob Jones"));

        cut.WaitForAssertion(() => Assert.NotNull(Row(cut, "Mrs Ada Lovelace").QuerySelector("[data-testid=lock-free]")), Patience);
        Assert.Equal(before, await SettledCommandsAsync());
    }

    [Fact]
    public async Task LockTaken_RecordNotOnThisPage_NeitherQueriesNorChangesAnything()
    {
        await AddRecordAsync("Mrs", "Ada", "Lovelace");
        var cut = RenderList(expectedRows: 1);
        var before = await SettledCommandsAsync();
        var markup = cut.Markup;

        await Live.PublishAsync(new LiveEvent(LiveEventKind.LockTaken, DealershipId, 999_999, "Someone Else", Other.UserId, "Bob Jones"));

        Assert.Equal(before, await SettledCommandsAsync());
        Assert.Equal(markup, cut.Markup);
    }

    [Fact]
    public async Task RecordAdded_Burst_ReloadsAtOnceThenOncePerIntervalWithTheLastKept()
    {
        await AddRecordAsync("Mrs", "Ada", "Lovelace");
        var cut = RenderList(expectedRows: 1);
        await SettledCommandsAsync();
        var reloadsBefore = _commands.ChaseListReads;

        // The first event reloads at once and shows Charles.
        await AddRecordAsync("Mr", "Charles", "Babbage");
        await Live.PublishAsync(new LiveEvent(LiveEventKind.RecordAdded, DealershipId, 0));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=customer-name]").Count), Patience);
        await SettledCommandsAsync();
        Assert.Equal(1, _commands.ChaseListReads - reloadsBefore);

        // Twenty more within the interval: no reload until it ends, then exactly one, which finds the last record added.
        await AddRecordAsync("Mr", "Alan", "Turing");
        for (var i = 0; i < 20; i++) await Live.PublishAsync(new LiveEvent(LiveEventKind.RecordAdded, DealershipId, 0));
        await SettledCommandsAsync();
        Assert.Equal(1, _commands.ChaseListReads - reloadsBefore);
        Assert.Equal(2, cut.FindAll("[data-testid=customer-name]").Count);

        Time.Advance(ChaseList.ReloadInterval);

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=customer-name]").Count), Patience);
        await SettledCommandsAsync();
        Assert.Equal(2, _commands.ChaseListReads - reloadsBefore);
    }

    /// <summary>Counts every SQL command, and those that read the chase list's page (its query selects from SurveyRecords with LIMIT).</summary>
    private sealed class CommandCounter : DbCommandInterceptor
    {
        private int _count;
        private int _chaseListReads;

        public int Count => Volatile.Read(ref _count);
        public int ChaseListReads => Volatile.Read(ref _chaseListReads);

        private void Saw(DbCommand command)
        {
            Interlocked.Increment(ref _count);
            if (command.CommandText.Contains("\"SurveyRecords\"") && command.CommandText.Contains("LIMIT")) Interlocked.Increment(ref _chaseListReads);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Saw(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Saw(command);
            return base.ReaderExecuting(command, eventData, result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Saw(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Saw(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
