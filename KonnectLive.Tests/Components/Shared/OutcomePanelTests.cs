using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Tests.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Shared;

/// <summary>The outcome panel with the real decline-reason service on its own database, and a fake clock.</summary>
public sealed class OutcomePanelTests : ComponentTest
{
    private static readonly OutcomeView WillComplete = new(1, "Spoke – will complete survey", "Success", OutcomeCategory.Contacted, OutcomeBehaviour.TakeOffList);
    private static readonly OutcomeView NoAnswer = new(2, "No answer", "Default");
    private static readonly OutcomeView Wrong = new(3, "Wrong number", "Error", OutcomeCategory.BadContact, OutcomeBehaviour.WrongNumber);
    private static readonly OutcomeView CallBack = new(4, "Call back later", "Primary", OutcomeCategory.Contacted, OutcomeBehaviour.CallBackLater,
        CallbackReserveMinutes: 60);
    private static readonly OutcomeView Declined = new(5, "Spoke – declined", "Warning", OutcomeCategory.Contacted, OutcomeBehaviour.CustomerDeclined);
    private static readonly OutcomeView Complaint = new(6, "Complaint", "Error", OutcomeCategory.Contacted, OutcomeBehaviour.KeepOnList, RequiresNote: true);
    private static readonly OutcomeView[] Outcomes = [WillComplete, NoAnswer, Wrong, CallBack, Declined, Complaint];

    private static readonly PhoneView Blocked = new(10, 1, "+442079460000", "Home", CallUnsubscribed: true, SmsUnsubscribed: false);
    private static readonly PhoneView Mobile = new(11, 2, "+447400123456", "Mobile", CallUnsubscribed: false, SmsUnsubscribed: false);
    private static readonly PhoneView Work = new(12, 3, "+447400654321", "Work", CallUnsubscribed: false, SmsUnsubscribed: false);
    private static readonly PhoneView WrongMobile = new(13, 4, "+447700900999", "Mobile", CallUnsubscribed: false, SmsUnsubscribed: false, WrongNumber: true);

    private readonly List<OutcomeChoice> _confirmed = [];
    private readonly UserScope _agent = CoreTestDatabase.Agent("Alice Agent", dealershipId: null);
    private CoreTestDatabase _db = null!;
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    public override async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(); // 2 March 2026, 09:00 UTC: GMT, so the UK clock reads the same
        Ctx.Services.AddSingleton(_db.Services.GetRequiredService<DeclineReasonService>());
        Ctx.Services.AddSingleton<TimeProvider>(_db.Time);
        // The selects open in a popover.
        Ctx.Render<MudPopoverProvider>();
        _snackbars = Ctx.Render<MudSnackbarProvider>();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IRenderedComponent<OutcomePanel> RenderPanel(string? dialledNumber = null, IReadOnlyList<PhoneView>? phones = null) =>
        Ctx.Render<OutcomePanel>(p => p
            .Add(x => x.Outcomes, Outcomes)
            .Add(x => x.Phones, phones ?? [Blocked, Mobile, Work])
            .Add(x => x.DialledNumber, dialledNumber)
            .Add(x => x.Scope, _agent)
            .Add(x => x.OnConfirm, (OutcomeChoice c) => _confirmed.Add(c)));

    private static async Task ChooseAsync(IRenderedComponent<OutcomePanel> cut, OutcomeView outcome) =>
        await cut.FindAll("[data-testid=outcome-button]").Single(b => b.TextContent.Trim() == outcome.Name).ClickAsync(new());

    private static Task ConfirmAsync(IRenderedComponent<OutcomePanel> cut) => cut.Find("[data-testid=confirm-button]").ClickAsync(new());

    private static async Task ClickButtonAsync(IRenderedComponent<OutcomePanel> cut, string text) =>
        await cut.FindAll("button").Single(b => b.TextContent.Trim() == text).ClickAsync(new());

    [Fact]
    public void Render_Outcomes_ShowsOneButtonPerOutcome()
    {
        var cut = RenderPanel();

        var names = cut.FindAll("[data-testid=outcome-button]").Select(b => b.TextContent.Trim());
        Assert.Equal(Outcomes.Select(o => o.Name), names);
        Assert.Empty(cut.FindAll("[data-testid=confirm-button]"));
    }

    [Fact]
    public async Task SelectOutcome_Clicked_ShowsGreenConfirmAndGoBack()
    {
        var cut = RenderPanel();

        await ChooseAsync(cut, NoAnswer);

        Assert.Empty(cut.FindAll("[data-testid=outcome-button]"));
        Assert.Contains("No answer", cut.Find(".mud-alert").TextContent);
        var confirm = cut.Find("[data-testid=confirm-button]");
        Assert.Contains("mud-button-filled-success", confirm.ClassList);
        Assert.Equal("Confirm", confirm.TextContent.Trim());
        Assert.Equal("Go Back", cut.Find("[data-testid=go-back-button]").TextContent.Trim());
        Assert.Empty(_confirmed);
    }

    [Theory]
    [InlineData(2, "Stays on the chase list.")]
    [InlineData(1, "Takes the customer off the chase list.")]
    [InlineData(4, "Leaves the list until the call-back time, then returns at the top.")]
    [InlineData(5, "Takes the customer off the list and records the reason.")]
    [InlineData(3, "Marks the number dialled as wrong;")]
    public async Task SelectOutcome_AnyBehaviour_SaysInOneLineWhatItWillDo(int outcomeId, string expected)
    {
        var cut = RenderPanel();

        await ChooseAsync(cut, Outcomes.Single(o => o.Id == outcomeId));

        Assert.StartsWith(expected, cut.Find("[data-testid=outcome-behaviour]").TextContent.Trim());
    }

    [Fact]
    public async Task GoBack_AfterSelecting_ReturnsToOutcomesWithoutConfirming()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, WillComplete);

        await cut.Find("[data-testid=go-back-button]").ClickAsync(new());

        Assert.Equal(Outcomes.Length, cut.FindAll("[data-testid=outcome-button]").Count);
        Assert.Empty(cut.FindAll("[data-testid=confirm-button]"));
        Assert.Empty(_confirmed);
    }

    [Fact]
    public async Task Confirm_WithDialledNumberAndNote_PassesOutcomeNumberAndNote()
    {
        var cut = RenderPanel(dialledNumber: Work.Number);
        await ChooseAsync(cut, Wrong);

        await cut.Find("textarea").ChangeAsync(new() { Value = "Number belongs to a garage" });
        await ConfirmAsync(cut);

        var choice = Assert.Single(_confirmed);
        Assert.Equal(new OutcomeChoice(3, "Wrong number", "+447400654321", "Number belongs to a garage"), choice);
    }

    [Fact]
    public async Task Confirm_NothingDialled_DefaultsToFirstCallableNumber()
    {
        var cut = RenderPanel(dialledNumber: null);
        await ChooseAsync(cut, NoAnswer);

        await ConfirmAsync(cut);

        var choice = Assert.Single(_confirmed);
        Assert.Equal(new OutcomeChoice(2, "No answer", Mobile.Number, null), choice);
    }

    [Fact]
    public async Task Confirm_NoCallableNumbers_PassesNoNumber()
    {
        var cut = RenderPanel(dialledNumber: null, phones: [Blocked]);
        await ChooseAsync(cut, NoAnswer);

        await ConfirmAsync(cut);

        Assert.Null(Assert.Single(_confirmed).NumberDialled);
    }

    [Fact]
    public void Render_Disabled_OutcomeButtonsAreDisabled()
    {
        var cut = Ctx.Render<OutcomePanel>(p => p.Add(x => x.Outcomes, Outcomes).Add(x => x.Disabled, true));

        Assert.All(cut.FindAll("[data-testid=outcome-button]"), b => Assert.True(b.HasAttribute("disabled")));
    }

    [Fact]
    public async Task CallBackLater_ConfirmWithoutATime_IsRefusedAndSaysToChooseWhen()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, CallBack);

        await ConfirmAsync(cut);

        Assert.Empty(_confirmed);
        Assert.StartsWith("Choose when to call back", cut.Find("[data-testid=callback-error]").TextContent.Trim());
        Assert.Contains("Nothing recorded yet", cut.Find("[data-testid=outcome-errors]").TextContent);
    }

    [Fact]
    public async Task CallBackLater_TimeInThePast_IsRefusedAndSaysItMustBeInTheFuture()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, CallBack);

        await cut.Find("[data-testid=callback-picker] .mud-picker input").ChangeAsync(new() { Value = "02/03/2026" });
        await cut.FindAll("[data-testid=callback-picker] .mud-picker input")[1].ChangeAsync(new() { Value = "08:30" });
        await ConfirmAsync(cut);

        Assert.Empty(_confirmed);
        Assert.Equal("The call-back time must be in the future.", cut.Find("[data-testid=callback-error]").TextContent.Trim());
    }

    [Fact]
    public async Task CallBackLater_TypedFutureTime_PassesItInUtc()
    {
        _db.Time.SetUtcNow(new DateTimeOffset(2026, 6, 2, 9, 0, 0, TimeSpan.Zero)); // British Summer Time: the UK clock is an hour ahead
        var cut = RenderPanel();
        await ChooseAsync(cut, CallBack);

        await cut.Find("[data-testid=callback-picker] .mud-picker input").ChangeAsync(new() { Value = "02/06/2026" });
        await cut.FindAll("[data-testid=callback-picker] .mud-picker input")[1].ChangeAsync(new() { Value = "16:30" });
        await ConfirmAsync(cut);

        var choice = Assert.Single(_confirmed);
        Assert.Equal(new DateTime(2026, 6, 2, 15, 30, 0, DateTimeKind.Utc), choice.CallbackAt);
        Assert.Empty(cut.FindAll("[data-testid=callback-error]"));
    }

    [Fact]
    public async Task CallBackLater_TimeSkippedWhenTheClocksGoForward_IsRefusedWithTheReason()
    {
        _db.Time.SetUtcNow(new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.Zero));
        var cut = RenderPanel();
        await ChooseAsync(cut, CallBack);

        // 29 March 2026: UK clocks jump from 01:00 to 02:00, so 01:30 never happens.
        await cut.Find("[data-testid=callback-picker] .mud-picker input").ChangeAsync(new() { Value = "29/03/2026" });
        await cut.FindAll("[data-testid=callback-picker] .mud-picker input")[1].ChangeAsync(new() { Value = "01:30" });
        await ConfirmAsync(cut);

        Assert.Empty(_confirmed);
        Assert.StartsWith("That time does not exist on the UK clock", cut.Find("[data-testid=callback-error]").TextContent.Trim());
    }

    [Fact]
    public async Task CallBackLater_QuickChoiceTomorrow_PassesThatTimeAndKeepsItForMeByDefault()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, CallBack);

        Assert.Equal("Keep this call-back for me for 60 minutes", cut.Find("[data-testid=callback-reserve]").Closest("label")!.TextContent.Trim());
        await ClickButtonAsync(cut, "Tomorrow 10:00");
        await ConfirmAsync(cut);

        var choice = Assert.Single(_confirmed);
        Assert.Equal((CallBack.Id, new DateTime(2026, 3, 3, 10, 0, 0), true), (choice.OutcomeId, choice.CallbackAt, choice.ReserveCallback));
    }

    [Fact]
    public async Task CallBackLater_ReserveUnticked_PassesNoReservation()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, CallBack);

        await ClickButtonAsync(cut, "In 1 hour");
        await cut.Find("[data-testid=callback-reserve]").ChangeAsync(new() { Value = false });
        await ConfirmAsync(cut);

        var choice = Assert.Single(_confirmed);
        Assert.Equal((new DateTime(2026, 3, 2, 10, 0, 0), false), (choice.CallbackAt, choice.ReserveCallback));
    }

    [Fact]
    public async Task CustomerDeclined_ConfirmWithoutAReason_IsRefusedAndAsksForOne()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, Declined);

        await ConfirmAsync(cut);

        Assert.Empty(_confirmed);
        Assert.Contains("Choose the reason the customer gave, or add it with +.", cut.Find("[data-testid=decline-reason-picker]").TextContent);
    }

    [Fact]
    public async Task CustomerDeclined_PlusAddsANewReason_SelectsItAndConfirmPassesIt()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, Declined);

        var plus = cut.Find("[data-testid=add-decline-reason]");
        Assert.Equal("Add a decline reason", plus.GetAttribute("aria-label"));
        await plus.ClickAsync(new());
        await cut.Find("[data-testid=new-decline-reason]").InputAsync(new() { Value = "Moved abroad" });
        await cut.Find("[data-testid=add-decline-reason-confirm]").ClickAsync(new());

        _snackbars.WaitForAssertion(() => Assert.Contains("Decline reason \"Moved abroad\" proposed and chosen. Only you see it until an admin approves it.", _snackbars.Markup));
        await using var db = _db.NewDbContext();
        var added = await db.DeclineReasons.SingleAsync(r => r.Name == "Moved abroad");
        Assert.Equal("Alice Agent", added.CreatedBy);
        Assert.Contains("Moved abroad", cut.Find("[data-testid=decline-reason]").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=new-decline-reason]"));

        await ConfirmAsync(cut);

        var choice = Assert.Single(_confirmed);
        Assert.Equal((Declined.Id, (int?)added.Id), (choice.OutcomeId, choice.DeclineReasonId));
    }

    [Fact]
    public async Task CustomerDeclined_AddingAnExistingReasonInOtherCase_SelectsThatReasonWithoutADuplicate()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, Declined);

        await cut.Find("[data-testid=add-decline-reason]").ClickAsync(new());
        await cut.Find("[data-testid=new-decline-reason]").InputAsync(new() { Value = "no time" });
        await cut.Find("[data-testid=add-decline-reason-confirm]").ClickAsync(new());
        await ConfirmAsync(cut);

        await using var db = _db.NewDbContext();
        var existing = await db.DeclineReasons.SingleAsync(r => r.Name.ToLower() == "no time");
        Assert.Equal("No time", existing.Name);
        Assert.Equal(existing.Id, Assert.Single(_confirmed).DeclineReasonId);
    }

    [Fact]
    public async Task CustomerDeclined_AddingATooLongReason_ShowsTheServersMessageAndAddsNothing()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, Declined);
        await using var before = _db.NewDbContext();
        var count = await before.DeclineReasons.CountAsync();

        await cut.Find("[data-testid=add-decline-reason]").ClickAsync(new());
        // The field's MaxLength stops typing in a browser; the server's check is what this proves.
        await cut.Find("[data-testid=new-decline-reason]").InputAsync(new() { Value = new string('x', DeclineReasonService.MaxNameLength + 1) });
        await cut.Find("[data-testid=add-decline-reason-confirm]").ClickAsync(new());

        Assert.Contains($"at most {DeclineReasonService.MaxNameLength} characters", cut.Find("[data-testid=new-decline-reason-row]").TextContent);
        await using var after = _db.NewDbContext();
        Assert.Equal(count, await after.DeclineReasons.CountAsync());
    }

    [Fact]
    public async Task WrongNumber_NoCallableNumberToMark_IsRefusedAndSaysSo()
    {
        var cut = RenderPanel(phones: [Blocked, WrongMobile]);
        await ChooseAsync(cut, Wrong);

        Assert.Contains("This number will be marked wrong and not offered again.", cut.Markup);
        await ConfirmAsync(cut);

        Assert.Empty(_confirmed);
        Assert.Contains("There is no callable number left to mark as wrong.", cut.Find("[data-testid=number-dialled]").Closest(".mud-input-control")!.TextContent);
    }

    [Fact]
    public async Task WrongNumber_AlreadyWrongNumberDialled_IsNotOfferedAndTheNextCallableOneIsPreselected()
    {
        var cut = RenderPanel(dialledNumber: WrongMobile.Number, phones: [WrongMobile, Work]);
        await ChooseAsync(cut, Wrong);

        await ConfirmAsync(cut);

        Assert.Equal(Work.Number, Assert.Single(_confirmed).NumberDialled);
    }

    [Fact]
    public async Task RequiresNote_ConfirmWithoutANote_IsRefusedUntilOneIsWritten()
    {
        var cut = RenderPanel();
        await ChooseAsync(cut, Complaint);
        Assert.Contains("Note (required)", cut.Find("[data-testid=outcome-note]").Closest(".mud-input-control")!.TextContent);

        await ConfirmAsync(cut);

        Assert.Empty(_confirmed);
        Assert.Contains("This outcome needs a note", cut.Markup);

        await cut.Find("textarea").ChangeAsync(new() { Value = "Unhappy with the valet" });
        await ConfirmAsync(cut);

        Assert.Equal("Unhappy with the valet", Assert.Single(_confirmed).Note);
        Assert.DoesNotContain("This outcome needs a note", cut.Markup);
    }
}
