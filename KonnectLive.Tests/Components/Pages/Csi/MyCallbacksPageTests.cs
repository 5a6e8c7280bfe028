using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Pages.Csi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Pages.Csi;

public sealed class MyCallbacksPageTests : CsiPageTest
{
    private CallingService Calling => Ctx.Services.GetRequiredService<CallingService>();

    private async Task BookAsync(UserScope agent, int recordId, TimeSpan inFuture, bool reserve = true)
    {
        await using var db = await CreateDbAsync();
        var outcome = await db.CallOutcomes.Where(o => o.Name == DatabaseInitializer.CallBackLaterOutcome).Select(o => o.Id).SingleAsync();
        await Calling.RecordAttemptAsync(agent, new RecordAttemptCommand(recordId, outcome, null, Now, null, Now + inFuture, ReserveCallback: reserve));
    }

    private IRenderedComponent<MyCallbacks> RenderPage(int expectedRows)
    {
        Ctx.Render<MudPopoverProvider>();
        var cut = Ctx.Render<MyCallbacks>();
        cut.WaitForAssertion(() => Assert.Equal(expectedRows, cut.FindAll("[data-testid=callback-customer]").Count), Patience);
        return cut;
    }

    [Fact]
    public async Task Render_MyCallbacks_OnlyMineWithDueTimeReservationStatusAndOpen()
    {
        var mine = await AddRecordAsync("Mrs", "Anna", "Family");
        var bobs = await AddRecordAsync("Mr", "Ben", "Other");
        await BookAsync(Me, mine, TimeSpan.FromHours(5.5)); // 09:00 UTC on 2 June is 10:00 BST: due at 15:30 BST
        await BookAsync(Other, bobs, TimeSpan.FromHours(1));

        var cut = RenderPage(expectedRows: 1);

        Assert.Equal("Mrs Anna Family", cut.Find("[data-testid=callback-customer]").TextContent);
        Assert.Equal("Today 15:30", cut.Find("[data-testid=callback-due-at]").TextContent.Trim());
        Assert.Equal("16:30", cut.Find("[data-testid=callback-reserved-until]").TextContent.Trim());
        Assert.Equal("Not yet due", cut.Find("[data-testid=callback-status]").TextContent.Trim());
        var open = cut.Find("[data-testid=open-callback]");
        Assert.Equal($"csi/call/{mine}", open.GetAttribute("href"));
        Assert.Equal("Open Mrs Anna Family", open.GetAttribute("aria-label"));
    }

    [Fact]
    public async Task LiveEvents_CallbackBookedThenCleared_ListFollowsWithoutReload()
    {
        var anna = await AddRecordAsync("Mrs", "Anna", "Family");
        var cut = RenderPage(expectedRows: 0);
        Assert.Contains("You have no call-backs booked.", cut.Find("[data-testid=no-callbacks]").TextContent);

        await BookAsync(Me, anna, TimeSpan.FromDays(1), reserve: false);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=callback-customer]")), Patience);
        Assert.Equal("Not reserved", cut.Find("[data-testid=callback-reserved-until]").TextContent.Trim());

        await using (var db = await CreateDbAsync())
        {
            var noAnswer = await db.CallOutcomes.Where(o => o.Name == DatabaseInitializer.NoAnswerOutcome).Select(o => o.Id).SingleAsync();
            await Calling.RecordAttemptAsync(Other, new RecordAttemptCommand(anna, noAnswer, null, Now, null));
        }
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=callback-customer]")), Patience);
    }

    [Fact]
    public async Task Clock_CallbackFallsDueThenLapses_StatusFollowsWithoutReload()
    {
        var anna = await AddRecordAsync("Mrs", "Anna", "Family");
        await BookAsync(Me, anna, TimeSpan.FromHours(1));
        var cut = RenderPage(expectedRows: 1);

        Time.Advance(TimeSpan.FromMinutes(61));
        cut.WaitForAssertion(() => Assert.Equal("Due", cut.Find("[data-testid=callback-status]").TextContent.Trim()), Patience);
        Time.Advance(TimeSpan.FromMinutes(60)); // the 60-minute reservation has lapsed
        cut.WaitForAssertion(() => Assert.Equal("Overdue", cut.Find("[data-testid=callback-status]").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task NotOnChaseList_SearchMatchesCustomersOffTheList_SaysWhyWithLinks()
    {
        var anna = await AddRecordAsync("", "Anna", "Family");
        var bea = await AddRecordAsync("", "Bea", "Family", status: SurveyStatus.Completed);
        await AddRecordAsync("", "Cal", "Family"); // on the list
        await BookAsync(Other, anna, TimeSpan.FromHours(5.5));

        var cut = Ctx.Render<NotOnChaseList>(p => p.Add(x => x.User, Me).Add(x => x.Search, "family"));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=not-on-list-item]").Count), Patience);
        var items = cut.FindAll("[data-testid=not-on-list-item]");
        Assert.Equal("Anna Family — call-back at 15:30 (booked by Bob Jones)", string.Join(' ', items[0].TextContent.Split(default(char[]), StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("Bea Family — survey completed", string.Join(' ', items[1].TextContent.Split(default(char[]), StringSplitOptions.RemoveEmptyEntries)));
        await using var db = await CreateDbAsync();
        var beaCustomer = await db.SurveyRecords.Where(r => r.Id == bea).Select(r => r.CustomerId).SingleAsync();
        Assert.Equal($"customers/{beaCustomer}", items[1].QuerySelector("a")!.GetAttribute("href"));

        cut.Render(p => p.Add(x => x.User, Me).Add(x => x.Search, ""));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=not-on-list]")), Patience);
    }
}
