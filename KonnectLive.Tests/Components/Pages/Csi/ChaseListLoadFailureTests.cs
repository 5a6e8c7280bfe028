using Bunit;
using KonnectLive.Core.Live;
using KonnectLive.Desktop.Components.Pages.Csi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Pages.Csi;

/// <summary>
/// The chase list when its database read fails (issue 12): a real SQLite error, made by renaming the records' table away
/// under the page and back. The page keeps working, says so with Retry, marks the rows it still shows as not current,
/// and recovers by itself on the next live reload that works.
/// </summary>
public sealed class ChaseListLoadFailureTests : CsiPageTest
{
    private ILiveEventPublisher Live => Ctx.Services.GetRequiredService<ILiveEventPublisher>();

    private IRenderedComponent<ChaseList> RenderList()
    {
        return RenderChaseList();
    }

    private static List<string> CustomerNames(IRenderedComponent<ChaseList> cut) =>
        cut.FindAll("[data-testid=customer-name]").Select(e => e.TextContent.Trim()).ToList();

    /// <summary>Every read of the chase list now fails with SQLite's "no such table", as a broken or unreadable database would.</summary>
    private async Task BreakTheDatabaseAsync()
    {
        await using var db = await CreateDbAsync();
        await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"SurveyRecords\" RENAME TO \"SurveyRecords_away\"");
    }

    private async Task MendTheDatabaseAsync()
    {
        await using var db = await CreateDbAsync();
        await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"SurveyRecords_away\" RENAME TO \"SurveyRecords\"");
    }

    [Fact]
    public async Task LiveReload_DatabaseFails_OldRowsStayMarkedNotCurrentWithRetry_NextWorkingReloadRecovers()
    {
        await AddRecordAsync("Mrs", "Ada", "Lovelace");
        var cut = RenderList();
        cut.WaitForAssertion(() => Assert.Equal(["Mrs Ada Lovelace"], CustomerNames(cut)), Patience);
        Assert.Empty(cut.FindAll("[data-testid=chase-load-error]"));

        await BreakTheDatabaseAsync();
        await Live.PublishAsync(new LiveEvent(LiveEventKind.RecordAdded, DealershipId, 0));

        cut.WaitForAssertion(() => Assert.Contains("The chase list could not be loaded", cut.Find("[data-testid=chase-load-error]").TextContent), Patience);
        Assert.Equal(["Mrs Ada Lovelace"], CustomerNames(cut)); // kept, but…
        Assert.Equal("true", cut.Find(".chase-grid").GetAttribute("data-stale"));
        Assert.Equal("Not current since 10:00", cut.Find("[data-testid=chase-stale]").TextContent.Trim()); // 09:00 UTC = 10:00 London (BST)
        Assert.Contains("the rows below are not current since 10:00", cut.Find("[data-testid=chase-load-error]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=chase-retry]"));

        await MendTheDatabaseAsync();
        await AddRecordAsync("Mr", "Charles", "Babbage");
        Time.Advance(ChaseList.ReloadInterval);
        await Live.PublishAsync(new LiveEvent(LiveEventKind.RecordAdded, DealershipId, 0));

        cut.WaitForAssertion(() => Assert.Equal(2, CustomerNames(cut).Count), Patience);
        Assert.Empty(cut.FindAll("[data-testid=chase-load-error]"));
        Assert.Equal("false", cut.Find(".chase-grid").GetAttribute("data-stale"));
        Assert.Empty(cut.FindAll("[data-testid=chase-stale]"));
    }

    [Fact]
    public async Task FirstLoad_DatabaseFails_AlertWithRetry_RetryAfterTheDatabaseIsBackShowsTheRows()
    {
        await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await BreakTheDatabaseAsync();

        var cut = RenderList();

        cut.WaitForAssertion(() => Assert.Contains("The chase list could not be loaded", cut.Find("[data-testid=chase-load-error]").TextContent), Patience);
        Assert.Empty(CustomerNames(cut));
        Assert.Equal("Not loaded", cut.Find("[data-testid=chase-stale]").TextContent.Trim());

        await MendTheDatabaseAsync();
        cut.Find("[data-testid=chase-retry]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Mrs Ada Lovelace"], CustomerNames(cut)), Patience);
        Assert.Empty(cut.FindAll("[data-testid=chase-load-error]"));
    }
}
