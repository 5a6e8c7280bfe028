using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using KonnectLive.Desktop.Components.Pages.Csi;
using MudBlazor;

namespace KonnectLive.Tests.Components.Pages.Csi;

public sealed class ChaseListTests : CsiPageTest
{

    private IRenderedComponent<ChaseList> RenderList(int expectedRows)
    {
        var cut = RenderChaseList();
        cut.WaitForAssertion(() => Assert.Equal(expectedRows, CustomerNames(cut).Count), Patience);
        return cut;
    }

    private static List<string> CustomerNames(IRenderedComponent<ChaseList> cut) =>
        cut.FindAll("[data-testid=customer-name]").Select(e => e.TextContent.Trim()).ToList();

    private static IElement Row(IRenderedComponent<ChaseList> cut, string customer) =>
        cut.FindAll("tr").Single(tr => tr.QuerySelector("[data-testid=customer-name]")?.TextContent.Trim() == customer);

    [Fact]
    public async Task Render_AwaitingRecords_ListsNeverCalledFirstThenLongestSinceLastAttempt()
    {
        await AddRecordAsync("Mr", "Yesterday", "Caller", lastAttemptAt: Now.AddDays(-1), attempts: 1);
        await AddRecordAsync("Ms", "LastWeek", "Caller", lastAttemptAt: Now.AddDays(-7), attempts: 2);
        await AddRecordAsync("Mrs", "Never", "Called");
        await AddRecordAsync("Dr", "Already", "Completed", status: SurveyStatus.Completed);

        var cut = RenderList(expectedRows: 3);

        Assert.Equal(["Mrs Never Called", "Ms LastWeek Caller", "Mr Yesterday Caller"], CustomerNames(cut));
        Assert.Contains("Never", Row(cut, "Mrs Never Called").TextContent);
        Assert.All(cut.FindAll("[data-testid=lock-free]"), e => Assert.Equal("Free", e.TextContent.Trim()));
    }

    [Fact]
    public async Task Render_OnlyNumberUnsubscribedFromCalls_RowSaysNoNumberToCall()
    {
        var unreachable = await AddRecordAsync("Ms", "Zara", "Unreachable");
        await AddRecordAsync("Mr", "Alan", "Turing");
        await using (var db = await CreateDbAsync())
        {
            var customerId = await db.SurveyRecords.Where(r => r.Id == unreachable).Select(r => r.CustomerId).SingleAsync();
            var phone = await db.CustomerPhones.SingleAsync(p => p.CustomerId == customerId);
            phone.Unsubscribe(global::KonnectLive.Core.Customers.ContactChannel.Call, "test", Now);
            await db.SaveChangesAsync();
        }

        var cut = RenderList(expectedRows: 2);

        Assert.Contains("No number to call", Row(cut, "Ms Zara Unreachable").TextContent);
        Assert.Empty(Row(cut, "Mr Alan Turing").QuerySelectorAll("[data-testid=no-callable-number]"));
    }

    [Fact]
    public async Task Render_AwaitingRecords_SaysHowManyAreAwaiting()
    {
        await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await AddRecordAsync("Mr", "Charles", "Babbage");
        await AddRecordAsync("Mr", "Alan", "Turing");

        var cut = RenderList(expectedRows: 3);

        cut.WaitForAssertion(() => Assert.Matches(new Regex(@"<strong>\s*3\s*</strong>\s*awaiting"), cut.Markup), Patience);
    }

    [Fact]
    public async Task Render_DealershipAgent_DoesNotSeeAnotherDealershipsCustomers()
    {
        await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await AddRecordAsync("Mr", "Charles", "Babbage", dealershipId: OtherDealershipId);

        var cut = RenderList(expectedRows: 1);

        Assert.Equal(["Mrs Ada Lovelace"], CustomerNames(cut));
    }

    [Fact]
    public async Task Render_RecordLockedByAnotherAgent_ShowsBeingCalledByThatAgent()
    {
        var locked = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await AddRecordAsync("Mr", "Charles", "Babbage");
        await LockAsAsync(Other, locked);

        var cut = RenderList(expectedRows: 2);

        Assert.Equal("Being called by Bob Jones", Row(cut, "Mrs Ada Lovelace").QuerySelector("[data-testid=lock-badge]")?.TextContent.Trim());
        Assert.NotNull(Row(cut, "Mr Charles Babbage").QuerySelector("[data-testid=lock-free]"));
    }

    [Fact]
    public async Task Render_RecordLockedByMe_ShowsBeingCalledByYou()
    {
        var mine = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await LockAsAsync(Me, mine);

        var cut = RenderList(expectedRows: 1);

        Assert.Equal("Being called by you", cut.Find("[data-testid=lock-badge]").TextContent.Trim());
    }

    [Fact]
    public async Task LiveEvent_AnotherAgentTakesALockAfterRender_ShowsTheirBadgeWithoutARefresh()
    {
        var record = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        var cut = RenderList(expectedRows: 1);
        Assert.Empty(cut.FindAll("[data-testid=lock-badge]"));

        await LockAsAsync(Other, record); // publishes LockTaken on the in-process bus

        cut.WaitForAssertion(
            () => Assert.Equal("Being called by Bob Jones", cut.Find("[data-testid=lock-badge]").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task LiveEvent_AnotherAgentReleasesTheirLock_ShowsFreeAgain()
    {
        var record = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await LockAsAsync(Other, record);
        var cut = RenderList(expectedRows: 1);
        Assert.Single(cut.FindAll("[data-testid=lock-badge]"));

        await Locks.ReleaseAsync(Other, record, TestPage.Token);

        cut.WaitForAssertion(() => Assert.Equal("Free", cut.Find("[data-testid=lock-free]").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task Open_RecordLockedByAnotherAgent_SaysWhoIsCallingAndStaysOnTheList()
    {
        var locked = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await LockAsAsync(Other, locked);
        var cut = RenderList(expectedRows: 1);
        var before = Navigation.Uri;
        var historyBefore = Navigation.History.Count;

        await cut.Find("[data-testid=open-button]").ClickAsync(new());

        Snackbars.WaitForAssertion(() => Assert.Contains("Mrs Ada Lovelace is being called by Bob Jones", Snackbars.Markup), Patience);
        Assert.Equal(before, Navigation.Uri);
        Assert.Equal(historyBefore, Navigation.History.Count);
        Assert.Equal(Other.UserId, (await GetRecordAsync(locked)).LockHolderId);
    }

    [Fact]
    public async Task Open_FreeRecord_TakesTheLockAndGoesToTheCallingPage()
    {
        await AddRecordAsync("Mr", "Charles", "Babbage", lastAttemptAt: Now.AddDays(-1), attempts: 1);
        var free = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        var cut = RenderList(expectedRows: 2);

        await Row(cut, "Mrs Ada Lovelace").QuerySelector("[data-testid=open-button]")!.ClickAsync(new());

        Assert.Equal($"http://localhost/csi/call/{free}", Navigation.Uri);
        Assert.Equal(Me.UserId, (await GetRecordAsync(free)).LockHolderId);
    }

    [Fact]
    public async Task Open_CustomerOpenInMyOtherTab_SaysSoTakesNothingAndOffersContinueHere()
    {
        var mine = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await LockAsAsync(Me, mine);
        var cut = RenderList(expectedRows: 1);
        var before = Navigation.Uri;

        await cut.Find("[data-testid=open-button]").ClickAsync(new());

        Snackbars.WaitForAssertion(() =>
        {
            Assert.Contains("You have Mrs Ada Lovelace open in another tab.", Snackbars.Markup);
            Assert.Contains("Continue here", Snackbars.Markup);
        }, Patience);
        Assert.Equal(before, Navigation.Uri);
        Assert.Equal(TestPage.Token, (await GetRecordAsync(mine)).LockToken);
    }

    /// <summary>Books a call-back on the record as <paramref name="agent"/>, an hour from now, and lets that hour pass.</summary>
    private async Task BookDueCallbackAsync(UserScope agent, int recordId, bool reserve)
    {
        await using (var db = await CreateDbAsync())
        {
            var outcome = await db.CallOutcomes.Where(o => o.Name == DatabaseInitializer.CallBackLaterOutcome).Select(o => o.Id).SingleAsync();
            await Ctx.Services.GetRequiredService<CallingService>().RecordAttemptAsync(agent,
                new RecordAttemptCommand(recordId, outcome, null, Now, null, CallbackAt: Now.AddHours(1), ReserveCallback: reserve));
        }
        Time.Advance(TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Render_CallBackDueAndReservedForAnotherAgent_SaysSoAndDisablesOpenWithTheReason()
    {
        var reserved = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await AddRecordAsync("Mr", "Charles", "Babbage");
        await BookDueCallbackAsync(Other, reserved, reserve: true); // due 10:00 UTC: 11:00 on the UK clock, kept for Bob for 60 minutes

        var cut = RenderList(expectedRows: 2);

        var row = Row(cut, "Mrs Ada Lovelace");
        Assert.Equal("Call back due 11:00", row.QuerySelector("[data-testid=callback-due]")?.TextContent.Trim());
        Assert.Equal("Reserved for Bob Jones until 12:00", row.QuerySelector("[data-testid=reservation]")?.TextContent.Trim());
        var open = row.QuerySelector("[data-testid=open-button]")!;
        Assert.True(open.HasAttribute("disabled"));
        Assert.Equal("Open Mrs Ada Lovelace: Reserved for Bob Jones until 12:00", open.GetAttribute("aria-label"));
        Assert.False(Row(cut, "Mr Charles Babbage").QuerySelector("[data-testid=open-button]")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task Render_CallBackReservedForMe_SaysYourCallBackAndOpens()
    {
        var mine = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await BookDueCallbackAsync(Me, mine, reserve: true);

        var cut = RenderList(expectedRows: 1);

        var row = Row(cut, "Mrs Ada Lovelace");
        Assert.Equal("Your call-back", row.QuerySelector("[data-testid=reservation]")?.TextContent.Trim());
        await row.QuerySelector("[data-testid=open-button]")!.ClickAsync(new());
        Assert.Equal($"http://localhost/csi/call/{mine}", Navigation.Uri);
    }

    [Fact]
    public async Task Render_CallBackDueNotReserved_ShowsDueChipOnlyAndOpens()
    {
        var due = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await BookDueCallbackAsync(Other, due, reserve: false);

        var cut = RenderList(expectedRows: 1);

        var row = Row(cut, "Mrs Ada Lovelace");
        Assert.Equal("Call back due 11:00", row.QuerySelector("[data-testid=callback-due]")?.TextContent.Trim());
        Assert.Null(row.QuerySelector("[data-testid=reservation]"));
        Assert.False(row.QuerySelector("[data-testid=open-button]")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task Render_CallBackNotYetDue_IsNotOnTheList()
    {
        var later = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await AddRecordAsync("Mr", "Charles", "Babbage");
        await using (var db = await CreateDbAsync())
        {
            var outcome = await db.CallOutcomes.Where(o => o.Name == DatabaseInitializer.CallBackLaterOutcome).Select(o => o.Id).SingleAsync();
            await Ctx.Services.GetRequiredService<CallingService>().RecordAttemptAsync(Me,
                new RecordAttemptCommand(later, outcome, null, Now, null, CallbackAt: Now.AddDays(1)));
        }

        var cut = RenderList(expectedRows: 1);

        Assert.Equal(["Mr Charles Babbage"], CustomerNames(cut));
    }

    [Fact]
    public async Task Open_HeadOfficeFilteredByDealership_CarriesTheFilterToTheCallingPage()
    {
        var headOffice = await CreateUserAsync("harper", "Harper Office", csiVoice: true);
        await using (var db = await CreateDbAsync())
        {
            await db.Users.Where(u => u.Id == headOffice.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DealershipId, (int?)null));
        }
        SignIn(headOffice);
        var york = await AddRecordAsync("Mr", "Alan", "Turing", dealershipId: OtherDealershipId);
        await AddRecordAsync("Mrs", "Ada", "Lovelace");
        var cut = RenderChaseList($"csi/chase-list?dealership={OtherDealershipId}");
        cut.WaitForAssertion(() => Assert.Equal(["Mr Alan Turing"], CustomerNames(cut)), Patience);

        await Row(cut, "Mr Alan Turing").QuerySelector("[data-testid=open-button]")!.ClickAsync(new());

        Assert.Equal($"http://localhost/csi/call/{york}?dealership={OtherDealershipId}", Navigation.Uri);
    }
}
