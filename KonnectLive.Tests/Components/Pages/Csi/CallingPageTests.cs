using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
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

    public CallingPageTests()
    {
        Ctx.Services.AddSingleton<ILiveEventPublisher>(sp => new HoldingPublisher(sp.GetRequiredService<LiveEventBus>()));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace", lastAttemptAt: Now.AddDays(-2), attempts: 1);
    }

    private IRenderedComponent<CallingPage> RenderPage(int? dealership = null)
    {
        // The query string reaches [SupplyParameterFromQuery] through the navigation manager, as in the app.
        Navigation.NavigateTo(dealership is { } d ? $"csi/call/{_recordId}?dealership={d}" : $"csi/call/{_recordId}");
        Ctx.Render<MudPopoverProvider>();
        _snackbars = Ctx.Render<MudSnackbarProvider>();
        var cut = Ctx.Render<CallingPage>(p => p.Add(x => x.RecordId, _recordId));
        cut.WaitForAssertion(() => Assert.True(
            cut.FindAll("[data-testid=calling-customer]").Count + cut.FindAll("[data-testid=calling-error]").Count == 1), Patience);
        return cut;
    }

    private IRenderedComponent<CallingPage> RenderHoldingPage(int? dealership = null)
    {
        var cut = RenderPage(dealership);
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
        // Awaited: the dial must be on the page before the clock moves (a renewal on the renderer's dispatcher can otherwise
        // hold the click until after the advance, and the call would last 0 s).
        await cut.Find("[data-testid=phone-callable]").ClickAsync(new());
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
        WaitForSnackbar("Mrs Ada Lovelace: No answer recorded; they stay on the chase list.");
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
    public async Task ConfirmOutcome_RetiredByAnAdminMeanwhile_RefusedAndNoLongerOffered()
    {
        var cut = RenderHoldingPage();
        await cut.FindAll("[data-testid=outcome-button]").Single(b => b.TextContent.Trim() == "Voicemail").ClickAsync(new());
        await using (var db = await CreateDbAsync())
            await db.CallOutcomes.Where(o => o.Name == "Voicemail").ExecuteUpdateAsync(u => u.SetProperty(o => o.IsActive, false));

        await cut.Find("[data-testid=confirm-button]").ClickAsync(new());

        WaitForSnackbar("That outcome is no longer available. Choose another.");
        Assert.Equal(0, await AttemptsRecordedAsync());
        await cut.Find("[data-testid=go-back-button]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.DoesNotContain("Voicemail",
            cut.FindAll("[data-testid=outcome-button]").Select(b => b.TextContent.Trim())), Patience);
        Assert.Equal(Me.UserId, (await GetRecordAsync(_recordId)).LockHolderId);
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

    /// <summary>Found by a new user: Esc with the unsubscribe panel open left the customer and dropped the ticks unsaid.</summary>
    [Fact]
    public async Task Unsubscribe_EscWithThePanelOpen_ClosesItLikeCancelAndStaysOnTheCustomer()
    {
        var cut = RenderHoldingPage();
        var here = Navigation.Uri;
        await cut.Find("[data-testid=unsubscribe-button]").ClickAsync(new());
        await cut.Find("[data-testid=matrix-row]").QuerySelectorAll("input[type=checkbox]")[0].ChangeAsync(new() { Value = true });

        await cut.InvokeAsync(() => cut.Instance.OnKey("Escape"));

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=matrix-row]")), Patience);
        Assert.Equal(here, Navigation.Uri);
        Assert.Single(cut.FindAll("[data-testid=phone-callable]"));
        var record = await GetRecordAsync(_recordId);
        Assert.False(Assert.Single(record.Customer.Phones).CallUnsubscribed);
        Assert.Equal(Me.UserId, record.LockHolderId);

        // A second Esc, with nothing open, leaves for the chase list as before.
        await cut.InvokeAsync(() => cut.Instance.OnKey("Escape"));
        Assert.Equal(ChaseListUri, Navigation.Uri);
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
    public async Task LeaseExpires_WhileTheBrowserIsDisconnected_StaysSaysSoAndWithholdsTheLockActions()
    {
        // Changed with issue 9: the page no longer sends the agent back to the list; the call can still be recorded.
        var cut = RenderHoldingPage();
        Ctx.Services.GetRequiredService<CircuitConnection>().IsConnected = false;

        Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await Locks.SweepExpiredAsync());

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Your lock on Mrs Ada Lovelace was released (expired).", cut.Find("[data-testid=lock-alert]").TextContent);
            Assert.Contains("Not locked", cut.Find("[data-testid=lock-chip]").TextContent);
        }, Patience);
        Assert.Equal($"http://localhost/csi/call/{_recordId}", Navigation.Uri);
        Assert.Empty(cut.FindAll("[data-testid=relist-button]"));
        Assert.Empty(cut.FindAll("[data-testid=next-button]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=outcome-button]"));
        Assert.Null((await GetRecordAsync(_recordId)).LockHolderId);
    }

    [Fact]
    public async Task Open_CustomerHeldByMyOtherTab_SaysSoOffersContinueHereAndTakesNothing()
    {
        await LockAsAsync(Me, _recordId); // the first tab, under its own token

        var cut = RenderHoldingPage();

        Assert.Contains("You have Mrs Ada Lovelace open in another tab.", cut.Find("[data-testid=lock-alert]").TextContent);
        Assert.Contains("Open in another tab", cut.Find("[data-testid=lock-chip]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=continue-here]"));
        Assert.Empty(cut.FindAll("[data-testid=relist-button]"));
        Assert.All(cut.FindAll("[data-testid=outcome-button]"), b => Assert.True(b.HasAttribute("disabled")));

        // Leaving this second page frees nothing: the first tab still holds the customer.
        await Ctx.DisposeComponentsAsync();
        var record = await GetRecordAsync(_recordId);
        Assert.Equal((Me.UserId, TestPage.Token), (record.LockHolderId, record.LockToken));
    }

    [Fact]
    public async Task ContinueHere_CustomerHeldByMyOtherTab_MovesTheLockToThisPage()
    {
        await LockAsAsync(Me, _recordId);
        var cut = RenderHoldingPage();

        await ClickAsync(cut, c => c.Find("[data-testid=continue-here]"));

        cut.WaitForAssertion(() => Assert.Contains("Locked to you", cut.Find("[data-testid=lock-chip]").TextContent), Patience);
        Assert.Empty(cut.FindAll("[data-testid=lock-alert]"));
        var record = await GetRecordAsync(_recordId);
        Assert.Equal(Me.UserId, record.LockHolderId);
        Assert.NotEqual(TestPage.Token, record.LockToken);
        Assert.False(await Locks.RenewAsync(Me, _recordId, TestPage.Token)); // the first tab can no longer keep it
    }

    [Fact]
    public async Task AnotherTabContinues_WhileHoldingWithAnOutcomeChosen_SaysSoAtOnceKeepsTheChoiceAndStopsRenewing()
    {
        var cut = RenderHoldingPage();
        await ChooseOutcomeAsync(cut, "No answer");
        await cut.Find("textarea").ChangeAsync(new() { Value = "Typed here first" });

        Assert.True((await Locks.TakeOverAsync(Me, _recordId, "second-tab")).Succeeded);

        cut.WaitForAssertion(() => Assert.Contains("continues in another tab", cut.Find("[data-testid=lock-alert]").TextContent), Patience);
        Assert.True(cut.Find("[data-testid=confirm-button]").HasAttribute("disabled"));
        Assert.Contains("Typed here first", cut.Markup); // the choice and the note stay for Continue here
        var moved = await GetRecordAsync(_recordId);
        Time.Advance(TimeSpan.FromSeconds(15)); // a renewal period: this page must not touch the other tab's lease
        await Task.Delay(100);
        Assert.Equal(moved.LockExpiresAt, (await GetRecordAsync(_recordId)).LockExpiresAt);
        Assert.Equal("second-tab", (await GetRecordAsync(_recordId)).LockToken);
    }

    [Fact]
    public async Task ForceRelease_WhileAnOutcomeIsChosenAndANoteTyped_PageStaysAndConfirmRecordsTheCallWithTheNote()
    {
        var cut = RenderHoldingPage();
        await ChooseOutcomeAsync(cut, "No answer");
        await cut.Find("textarea").ChangeAsync(new() { Value = "Rang, no reply" });

        var supervisor = new KonnectLive.Core.Users.UserScope("sup", "Sasha Supervisor", null, false, [KonnectLive.Core.Users.Roles.Supervisor]);
        var released = await Ctx.Services.GetRequiredService<ForceReleaseService>().ForceReleaseAsync(supervisor, _recordId, "complaint call");
        Assert.True(released.Succeeded, released.Message);

        cut.WaitForAssertion(() => Assert.Contains("Your lock on Mrs Ada Lovelace was released (released by supervisor Sasha Supervisor: complaint call).",
            cut.Find("[data-testid=lock-alert]").TextContent), Patience);
        Assert.Equal($"http://localhost/csi/call/{_recordId}", Navigation.Uri);
        await ClickAsync(cut, c => c.Find("[data-testid=confirm-button]"));

        Assert.Equal(ChaseListUri, Navigation.Uri);
        WaitForSnackbar("Mrs Ada Lovelace: No answer recorded; they stay on the chase list.");
        await using var db = await CreateDbAsync();
        var attempt = await db.CallAttempts.SingleAsync(a => a.SurveyRecordId == _recordId);
        Assert.Equal(("Rang, no reply", Me.UserId), (attempt.Note, attempt.AgentId));
    }

    [Fact]
    public async Task Open_HandedOverByTheChaseList_AdoptsTheLockWithoutTakingItAgain()
    {
        var taken = new List<KonnectLive.Core.Live.LiveEvent>();
        using var subscription = Ctx.Services.GetRequiredService<KonnectLive.Core.Live.LiveEventBus>().Subscribe(e =>
        {
            lock (taken) taken.Add(e);
            return Task.CompletedTask;
        });
        var token = CallLockService.NewPageToken();
        Assert.True((await Locks.AcquireAsync(Me, _recordId, token)).Succeeded);
        Ctx.Services.GetRequiredService<CallHandOff>().Offer(_recordId, token);

        RenderHoldingPage();

        Assert.Equal(token, (await GetRecordAsync(_recordId)).LockToken);
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // listeners hear events on their own queues: give a second take time to show
        lock (taken) Assert.Single(taken, e => e.Kind == KonnectLive.Core.Live.LiveEventKind.LockTaken);
    }

    /// <summary>Clicks an element found afresh each time: a timer's re-render can replace it between finding and clicking.</summary>
    private static async Task ClickAsync(IRenderedComponent<CallingPage> cut, Func<IRenderedComponent<CallingPage>, AngleSharp.Dom.IElement> find)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                await find(cut).ClickAsync(new());
                return;
            }
            catch (Bunit.Rendering.UnknownEventHandlerIdException) when (tries < 10)
            {
                await Task.Delay(50);
            }
        }
    }

    private static Task ChooseOutcomeAsync(IRenderedComponent<CallingPage> cut, string name) =>
        ClickAsync(cut, c => c.FindAll("[data-testid=outcome-button]").Single(b => b.TextContent.Trim() == name));

    private async Task<int> OutcomeIdAsync(string name)
    {
        await using var db = await CreateDbAsync();
        return await db.CallOutcomes.Where(o => o.Name == name).Select(o => o.Id).SingleAsync();
    }

    [Fact]
    public async Task Next_WhileHolding_ReleasesTheCurrentCustomerAndOpensTheNextFreeOneSkippingOneBeingCalled()
    {
        var beingCalled = await AddRecordAsync("Mr", "Charles", "Babbage", lastAttemptAt: Now.AddDays(-1), attempts: 1);
        var free = await AddRecordAsync("Mr", "Alan", "Turing", lastAttemptAt: Now.AddHours(-12), attempts: 1);
        await LockAsAsync(Other, beingCalled);
        var cut = RenderHoldingPage();

        await ClickAsync(cut, c => c.Find("[data-testid=next-button]"));

        Assert.Equal($"http://localhost/csi/call/{free}", Navigation.Uri);
        Assert.Null((await GetRecordAsync(_recordId)).LockHolderId);
        Assert.Equal(Me.UserId, (await GetRecordAsync(free)).LockHolderId);
        Assert.Equal(Other.UserId, (await GetRecordAsync(beingCalled)).LockHolderId);
        Assert.Equal(0, await AttemptsRecordedAsync());

        // The router reuses the page for the new address: it opens the next customer on the lock it already holds.
        cut.Render(p => p.Add(x => x.RecordId, free));
        cut.WaitForAssertion(() => Assert.Equal("Mr Alan Turing", cut.Find("[data-testid=calling-customer]").TextContent.Trim()), Patience);
        Assert.Equal(Me.UserId, (await GetRecordAsync(free)).LockHolderId);
    }

    /// <summary>
    /// Found by a new user: Next gave the customer back, the page heard its own release before the move returned, checked
    /// the lease, found it gone, and warned "… is no longer locked to you" about a customer the agent had just left on
    /// purpose. The release is held here for a moment after it is published, so the page's check finishes first.
    /// </summary>
    [Fact]
    public async Task Next_PageHearsItsOwnReleaseBeforeTheMoveReturns_NoWarningThatTheLockWasLost()
    {
        var free = await AddRecordAsync("Mr", "Alan", "Turing", lastAttemptAt: Now.AddHours(-12), attempts: 1);
        var heardOwnRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ((HoldingPublisher)Ctx.Services.GetRequiredService<ILiveEventPublisher>()).HoldAfterRelease = (_recordId, heardOwnRelease);
        var cut = RenderHoldingPage();

        await ClickAsync(cut, c => c.Find("[data-testid=next-button]"));

        Assert.True(heardOwnRelease.Task.IsCompleted, "the release of the first customer was published");
        Assert.Equal($"http://localhost/csi/call/{free}", Navigation.Uri);
        cut.Render(p => p.Add(x => x.RecordId, free));
        cut.WaitForAssertion(() => Assert.Equal("Mr Alan Turing", cut.Find("[data-testid=calling-customer]").TextContent.Trim()), Patience);
        Assert.DoesNotContain("no longer locked to you", _snackbars.Markup);
        Assert.Empty(cut.FindAll("[data-testid=lock-alert]"));
    }

    /// <summary>
    /// Publishes as the app does; when asked, holds whoever published the release of one record for half a second after
    /// the event went out.
    /// </summary>
    private sealed class HoldingPublisher(LiveEventBus bus) : ILiveEventPublisher
    {
        public (int RecordId, TaskCompletionSource Published)? HoldAfterRelease { get; set; }

        public async Task PublishAsync(LiveEvent liveEvent, CancellationToken ct = default)
        {
            await bus.DispatchAsync(liveEvent);
            if (HoldAfterRelease is { } hold && liveEvent is { Kind: LiveEventKind.LockReleased } && liveEvent.Concerns(hold.RecordId))
            {
                hold.Published.TrySetResult();
                await Task.Delay(500, ct);
            }
        }
    }

    [Fact]
    public async Task Next_LastCustomerOnTheList_SaysSoAndKeepsTheCurrentCustomer()
    {
        await AddRecordAsync("Mr", "Charles", "Babbage", lastAttemptAt: Now.AddDays(-5), attempts: 1); // before, not after
        var cut = RenderHoldingPage();

        await ClickAsync(cut, c => c.Find("[data-testid=next-button]"));

        WaitForSnackbar("No more free customers after this one.");
        Assert.Equal($"http://localhost/csi/call/{_recordId}", Navigation.Uri);
        Assert.Equal(Me.UserId, (await GetRecordAsync(_recordId)).LockHolderId);
        Assert.Equal("Mrs Ada Lovelace", cut.Find("[data-testid=calling-customer]").TextContent.Trim());
    }

    [Fact]
    public async Task Previous_WhileHolding_OpensTheFreeCustomerBeforeThisOne()
    {
        var before = await AddRecordAsync("Mrs", "Never", "Called");
        await AddRecordAsync("Mr", "Alan", "Turing", lastAttemptAt: Now.AddHours(-12), attempts: 1);
        var cut = RenderHoldingPage();

        await ClickAsync(cut, c => c.Find("[data-testid=previous-button]"));

        Assert.Equal($"http://localhost/csi/call/{before}", Navigation.Uri);
        Assert.Null((await GetRecordAsync(_recordId)).LockHolderId);
        Assert.Equal(Me.UserId, (await GetRecordAsync(before)).LockHolderId);
    }

    [Fact]
    public async Task First_WhileHolding_OpensTheTopFreeCustomerSkippingOneBeingCalled()
    {
        var top = await AddRecordAsync("Mrs", "Never", "Called");
        var second = await AddRecordAsync("Mr", "Also", "Never");
        await AddRecordAsync("Mr", "Alan", "Turing", lastAttemptAt: Now.AddDays(-3), attempts: 1);
        await LockAsAsync(Other, top);
        var cut = RenderHoldingPage();

        await ClickAsync(cut, c => c.Find("[data-testid=first-button]"));

        Assert.Equal($"http://localhost/csi/call/{second}", Navigation.Uri);
        Assert.Null((await GetRecordAsync(_recordId)).LockHolderId);
        Assert.Equal(Me.UserId, (await GetRecordAsync(second)).LockHolderId);
        Assert.Equal(0, await AttemptsRecordedAsync());
    }

    [Fact]
    public async Task First_AlreadyTheFirstFreeCustomer_SaysSoAndKeepsTheCustomer()
    {
        var top = await AddRecordAsync("Mrs", "Never", "Called");
        await LockAsAsync(Other, top);
        await AddRecordAsync("Mr", "Alan", "Turing", lastAttemptAt: Now.AddHours(-12), attempts: 1);
        var cut = RenderHoldingPage();

        await ClickAsync(cut, c => c.Find("[data-testid=first-button]"));

        WaitForSnackbar("Mrs Ada Lovelace is already the first free customer on the chase list.");
        Assert.Equal($"http://localhost/csi/call/{_recordId}", Navigation.Uri);
        Assert.Equal(Me.UserId, (await GetRecordAsync(_recordId)).LockHolderId);
    }

    [Fact]
    public async Task Next_OpenedWithADealershipFilter_KeepsTheFilterInTheAddress()
    {
        var next = await AddRecordAsync("Mr", "Alan", "Turing", lastAttemptAt: Now.AddHours(-12), attempts: 1);
        var cut = RenderHoldingPage(dealership: DealershipId);

        await ClickAsync(cut, c => c.Find("[data-testid=next-button]"));

        Assert.Equal($"http://localhost/csi/call/{next}?dealership={DealershipId}", Navigation.Uri);
    }

    [Fact]
    public async Task Summary_AfterAnEarlierCall_ShowsTheLastOutcomeWhoAndWhen()
    {
        await Ctx.Services.GetRequiredService<CallingService>().RecordAttemptAsync(Other,
            new RecordAttemptCommand(_recordId, await OutcomeIdAsync(DatabaseInitializer.NoAnswerOutcome), null, Now, null));

        var cut = RenderHoldingPage();

        var summary = cut.Find("[data-testid=process-summary]");
        Assert.Equal("Awaiting", summary.QuerySelector("[data-testid=summary-status]")?.TextContent.Trim());
        Assert.Equal("2", summary.QuerySelector("[data-testid=summary-attempts]")?.TextContent.Trim());
        Assert.Equal("No answer · Bob Jones · 02 Jun 2025 10:00",
            string.Join(' ', summary.QuerySelector("[data-testid=summary-last-outcome]")!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Summary_NoteAdded_ShowsTheNoteCountAndLatestNote()
    {
        var cut = RenderHoldingPage();
        Assert.Equal("None yet", cut.Find("[data-testid=summary-notes]").TextContent.Trim());

        await cut.Find("[data-testid=new-note]").InputAsync(new() { Value = "Prefers a call after 6pm" });
        await ClickAsync(cut, c => c.Find("[data-testid=add-note]"));

        cut.WaitForAssertion(() =>
        {
            var notes = cut.Find("[data-testid=summary-notes]").TextContent;
            Assert.Contains("1 note", notes);
            Assert.Contains("“Prefers a call after 6pm”", notes);
            Assert.Contains("Alice Agent", notes);
        }, Patience);
    }

    [Fact]
    public async Task ConfirmCallBackLater_QuickChoice_BooksTheCallBackReservedForMeAndSaysSo()
    {
        var cut = RenderHoldingPage();

        await ChooseOutcomeAsync(cut, DatabaseInitializer.CallBackLaterOutcome);
        await ClickAsync(cut, c => c.FindAll("[data-testid=callback-quick]").Single(b => b.TextContent.Trim() == "Tomorrow 10:00"));
        await ClickAsync(cut, c => c.Find("[data-testid=confirm-button]"));

        Assert.Equal(ChaseListUri, Navigation.Uri);
        WaitForSnackbar("Mrs Ada Lovelace: Call back booked for Tue 3 Jun 10:00, reserved for you until 11:00.");
        var record = await GetRecordAsync(_recordId);
        Assert.Equal(new DateTime(2025, 6, 3, 9, 0, 0), record.CallbackDueAt); // 10:00 British Summer Time
        Assert.Equal(Me.UserId, record.CallbackAgentId);
        Assert.Null(record.LockHolderId);
    }

    [Fact]
    public async Task ConfirmDeclined_WithAReasonAddedWithPlus_RecordsThatReasonAndTakesThemOffTheList()
    {
        var cut = RenderHoldingPage();

        await ChooseOutcomeAsync(cut, DatabaseInitializer.DeclinedOutcome);
        await ClickAsync(cut, c => c.Find("[data-testid=add-decline-reason]"));
        await cut.Find("[data-testid=new-decline-reason]").InputAsync(new() { Value = "Moved abroad" });
        await ClickAsync(cut, c => c.Find("[data-testid=add-decline-reason-confirm]"));
        await ClickAsync(cut, c => c.Find("[data-testid=confirm-button]"));

        WaitForSnackbar("Mrs Ada Lovelace: Declined (Moved abroad) recorded; they are off the chase list.");
        await using var db = await CreateDbAsync();
        var attempt = await db.CallAttempts.SingleAsync(a => a.SurveyRecordId == _recordId);
        Assert.Equal("Moved abroad", (await db.DeclineReasons.SingleAsync(r => r.Id == attempt.DeclineReasonId)).Name);
        Assert.Equal("Declined: Moved abroad", (await GetRecordAsync(_recordId)).ChaseEndedReason);
    }
}
