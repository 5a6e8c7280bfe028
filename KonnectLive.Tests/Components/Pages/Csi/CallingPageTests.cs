using Bunit;
using KonnectLive.Desktop.Components.Pages.Csi;
using KonnectLive.Desktop.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Pages.Csi;

public sealed class CallingPageTests : CsiPageTest
{
    private const string ChaseListUri = "http://localhost/csi/chase-list";

    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private int _recordId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace", lastAttemptAt: Now.AddDays(-2), attempts: 1);
    }

    private IRenderedComponent<CallingPage> RenderPage()
    {
        Navigation.NavigateTo($"csi/call/{_recordId}");
        Ctx.Render<MudPopoverProvider>();
        _snackbars = Ctx.Render<MudSnackbarProvider>();
        var cut = Ctx.Render<CallingPage>(p => p.Add(x => x.RecordId, _recordId));
        cut.WaitForAssertion(() => Assert.True(
            cut.FindAll("[data-testid=calling-customer]").Count + cut.FindAll("[data-testid=calling-error]").Count == 1), Patience);
        return cut;
    }

    private IRenderedComponent<CallingPage> RenderHoldingPage()
    {
        var cut = RenderPage();
        Assert.Empty(cut.FindAll("[data-testid=calling-error]"));
        return cut;
    }

    private void WaitForSnackbar(string text) =>
        _snackbars.WaitForAssertion(() => Assert.Contains(text, _snackbars.Markup), Patience);

    private async Task<int> AttemptsRecordedAsync()
    {
        await using var db = await CreateDbAsync();
        return await db.CallAttempts.CountAsync(a => a.SurveyRecordId == _recordId);
    }

    [Fact]
    public async Task Open_FreeRecord_TakesTheLockAndShowsTheCustomer()
    {
        var cut = RenderHoldingPage();

        Assert.Equal("Mrs Ada Lovelace", cut.Find("[data-testid=calling-customer]").TextContent.Trim());
        Assert.Contains("07400 123401", cut.Markup);
        var record = await GetRecordAsync(_recordId);
        Assert.Equal(Me.UserId, record.LockHolderId);
        Assert.Equal(Now + TimeSpan.FromSeconds(60), record.LockExpiresAt);
    }

    [Fact]
    public async Task Open_RecordLockedByAnotherAgent_SaysWhoIsCallingAndTakesNoLock()
    {
        await LockAsAsync(Other, _recordId);

        var cut = RenderPage();

        Assert.Equal("Mrs Ada Lovelace is being called by Bob Jones", cut.Find("[data-testid=calling-error]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=calling-customer]"));
        Assert.Empty(cut.FindAll("[data-testid=outcome-button]"));
        Assert.Equal(Other.UserId, (await GetRecordAsync(_recordId)).LockHolderId);
    }

    [Fact]
    public async Task Open_UserNotEnabledForCsiVoice_ShowsErrorAndLocksNothing()
    {
        SignIn(await CreateUserAsync("carol", "Carol Clerk", csiVoice: false));

        var cut = RenderPage();

        Assert.Contains("not enabled for CSI Voice", cut.Find("[data-testid=calling-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=calling-customer]"));
        Assert.Null((await GetRecordAsync(_recordId)).LockHolderId);
    }

    [Fact]
    public async Task ReList_WhileHolding_ReleasesTheLockRecordsNothingAndReturnsToTheList()
    {
        var cut = RenderHoldingPage();

        await cut.Find("[data-testid=relist-button]").ClickAsync(new());

        Assert.Equal(ChaseListUri, Navigation.Uri);
        WaitForSnackbar("Mrs Ada Lovelace re-listed. Nothing was recorded.");
        var record = await GetRecordAsync(_recordId);
        Assert.Null(record.LockHolderId);
        Assert.Equal(1, record.AttemptCount);
        Assert.Equal(0, await AttemptsRecordedAsync());
    }

    [Fact]
    public async Task ConfirmOutcome_WhileHolding_RecordsOneAttemptReleasesTheLockAndReturnsToTheList()
    {
        var cut = RenderHoldingPage();
        cut.Find("[data-testid=phone-callable]").Click();
        Time.Advance(TimeSpan.FromSeconds(90));

        // Advancing time fires the page's timers (clock, lease renewal, panel refreshes), which re-render it:
        // find the button again if a render replaced it between finding and clicking.
        for (var tries = 0; ; tries++)
        {
            try
            {
                await cut.FindAll("[data-testid=outcome-button]").Single(b => b.TextContent.Trim() == "No answer").ClickAsync(new());
                break;
            }
            catch (Bunit.Rendering.UnknownEventHandlerIdException) when (tries < 10)
            {
                await Task.Delay(50);
            }
        }
        await cut.Find("textarea").ChangeAsync(new() { Value = "Rang out" });
        await cut.Find("[data-testid=confirm-button]").ClickAsync(new());

        Assert.Equal(ChaseListUri, Navigation.Uri);
        WaitForSnackbar("No answer recorded for Mrs Ada Lovelace.");
        var record = await GetRecordAsync(_recordId);
        Assert.Null(record.LockHolderId);
        Assert.Equal(2, record.AttemptCount);
        Assert.Equal(Now, record.LastAttemptAt);
        await using var db = await CreateDbAsync();
        var attempt = await db.CallAttempts.Include(a => a.Outcome).SingleAsync(a => a.SurveyRecordId == _recordId);
        Assert.Equal(("No answer", Me.UserId, "+447400123401", "Rang out", 90),
            (attempt.Outcome.Name, attempt.AgentId, attempt.NumberDialled, attempt.Note, attempt.DurationSeconds));
    }

    [Fact]
    public async Task GoBack_AfterChoosingAnOutcome_RecordsNothingAndKeepsTheLock()
    {
        var cut = RenderHoldingPage();

        await cut.FindAll("[data-testid=outcome-button]")[0].ClickAsync(new());
        await cut.Find("[data-testid=go-back-button]").ClickAsync(new());

        Assert.NotEmpty(cut.FindAll("[data-testid=outcome-button]"));
        Assert.Equal(0, await AttemptsRecordedAsync());
        Assert.Equal(Me.UserId, (await GetRecordAsync(_recordId)).LockHolderId);
    }

    [Fact]
    public async Task Unsubscribe_ConfirmMatrix_SavesTheUnsubscribeAndShowsTheNumberAsUnsubscribed()
    {
        var cut = RenderHoldingPage();

        await cut.Find("[data-testid=unsubscribe-button]").ClickAsync(new());
        var row = cut.Find("[data-testid=matrix-row]");
        await row.QuerySelectorAll("input[type=checkbox]")[0].ChangeAsync(new() { Value = true }); // mobile × Call
        await cut.Find("[data-testid=unsubscribe-confirm]").ClickAsync(new());

        WaitForSnackbar("1 unsubscribe saved.");
        var phone = Assert.Single((await GetRecordAsync(_recordId)).Customer.Phones);
        Assert.True(phone.CallUnsubscribed);
        Assert.Equal("Alice Agent", phone.CallUnsubscribedBy);
        Assert.False(phone.SmsUnsubscribed);
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[data-testid=matrix-row]"));
            Assert.Equal("07400 123401", cut.Find("[data-testid=phone-unsubscribed]").TextContent.Trim());
            Assert.Empty(cut.FindAll("[data-testid=phone-callable]"));
        }, Patience);
        Assert.Equal(Me.UserId, (await GetRecordAsync(_recordId)).LockHolderId);
    }

    [Fact]
    public async Task RecordIdChanges_WhileHolding_ReleasesTheFirstCustomerAndOpensTheNext()
    {
        var next = await AddRecordAsync("Mr", "Charles", "Babbage");
        var cut = RenderHoldingPage();

        cut.Render(p => p.Add(x => x.RecordId, next));

        cut.WaitForAssertion(
            () => Assert.Equal("Mr Charles Babbage", cut.Find("[data-testid=calling-customer]").TextContent.Trim()), Patience);
        Assert.Null((await GetRecordAsync(_recordId)).LockHolderId);
        Assert.Equal(Me.UserId, (await GetRecordAsync(next)).LockHolderId);
    }

    [Fact]
    public async Task Dispose_WhileHolding_ReleasesTheLock()
    {
        RenderHoldingPage();

        await Ctx.DisposeComponentsAsync();

        await EventuallyAsync(async () => (await GetRecordAsync(_recordId)).LockHolderId is null, "leaving the page released the lock");
    }

    [Fact]
    public async Task Renew_AfterTheRenewInterval_ExtendsTheLease()
    {
        RenderHoldingPage();
        var opened = Now;

        Time.Advance(TimeSpan.FromSeconds(15));

        var renewed = opened + TimeSpan.FromSeconds(15 + 60);
        await EventuallyAsync(async () => (await GetRecordAsync(_recordId)).LockExpiresAt == renewed, "the lease was renewed");
    }

    [Fact]
    public async Task LeaseExpires_WhileTheBrowserIsDisconnected_WarnsAndReturnsToTheList()
    {
        RenderHoldingPage();
        Ctx.Services.GetRequiredService<CircuitConnection>().IsConnected = false;

        Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await Locks.SweepExpiredAsync());

        WaitForSnackbar("Your lock on Mrs Ada Lovelace was released (expired).");
        Assert.Equal(ChaseListUri, Navigation.Uri);
        Assert.Null((await GetRecordAsync(_recordId)).LockHolderId);
    }
}
