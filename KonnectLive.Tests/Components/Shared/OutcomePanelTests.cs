using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Desktop.Components.Shared;
using MudBlazor;

namespace KonnectLive.Tests.Components.Shared;

public sealed class OutcomePanelTests : ComponentTest
{
    private static readonly OutcomeView[] Outcomes =
    [
        new(1, "Spoke – will complete survey", "Success"),
        new(2, "No answer", "Default"),
        new(3, "Wrong number", "Error"),
    ];

    private static readonly PhoneView Blocked = new(10, 1, "+442079460000", "Home", CallUnsubscribed: true, SmsUnsubscribed: false);
    private static readonly PhoneView Mobile = new(11, 2, "+447400123456", "Mobile", CallUnsubscribed: false, SmsUnsubscribed: false);
    private static readonly PhoneView Work = new(12, 3, "+447400654321", "Work", CallUnsubscribed: false, SmsUnsubscribed: false);

    private readonly List<OutcomeChoice> _confirmed = [];

    public OutcomePanelTests()
    {
        // The number-dialled select opens in a popover.
        Ctx.Render<MudPopoverProvider>();
    }

    private IRenderedComponent<OutcomePanel> RenderPanel(string? dialledNumber = null, IReadOnlyList<PhoneView>? phones = null) =>
        Ctx.Render<OutcomePanel>(p => p
            .Add(x => x.Outcomes, Outcomes)
            .Add(x => x.Phones, phones ?? [Blocked, Mobile, Work])
            .Add(x => x.DialledNumber, dialledNumber)
            .Add(x => x.OnConfirm, (OutcomeChoice c) => _confirmed.Add(c)));

    [Fact]
    public void Render_Outcomes_ShowsOneButtonPerOutcome()
    {
        var cut = RenderPanel();

        var names = cut.FindAll("[data-testid=outcome-button]").Select(b => b.TextContent.Trim());
        Assert.Equal(Outcomes.Select(o => o.Name), names);
        Assert.Empty(cut.FindAll("[data-testid=confirm-button]"));
    }

    [Fact]
    public void SelectOutcome_Clicked_ShowsGreenConfirmAndGoBack()
    {
        var cut = RenderPanel();

        cut.FindAll("[data-testid=outcome-button]")[1].Click();

        Assert.Empty(cut.FindAll("[data-testid=outcome-button]"));
        Assert.Contains("No answer", cut.Find(".mud-alert").TextContent);
        var confirm = cut.Find("[data-testid=confirm-button]");
        Assert.Contains("mud-button-filled-success", confirm.ClassList);
        Assert.Equal("Confirm", confirm.TextContent.Trim());
        Assert.Equal("Go Back", cut.Find("[data-testid=go-back-button]").TextContent.Trim());
        Assert.Empty(_confirmed);
    }

    [Fact]
    public void GoBack_AfterSelecting_ReturnsToOutcomesWithoutConfirming()
    {
        var cut = RenderPanel();
        cut.FindAll("[data-testid=outcome-button]")[0].Click();

        cut.Find("[data-testid=go-back-button]").Click();

        Assert.Equal(Outcomes.Length, cut.FindAll("[data-testid=outcome-button]").Count);
        Assert.Empty(cut.FindAll("[data-testid=confirm-button]"));
        Assert.Empty(_confirmed);
    }

    [Fact]
    public async Task Confirm_WithDialledNumberAndNote_PassesOutcomeNumberAndNote()
    {
        var cut = RenderPanel(dialledNumber: Work.Number);
        cut.FindAll("[data-testid=outcome-button]")[2].Click();

        await cut.Find("textarea").ChangeAsync(new() { Value = "Number belongs to a garage" });
        await cut.Find("[data-testid=confirm-button]").ClickAsync(new());

        var choice = Assert.Single(_confirmed);
        Assert.Equal(new OutcomeChoice(3, "Wrong number", "+447400654321", "Number belongs to a garage"), choice);
    }

    [Fact]
    public async Task Confirm_NothingDialled_DefaultsToFirstCallableNumber()
    {
        var cut = RenderPanel(dialledNumber: null);
        cut.FindAll("[data-testid=outcome-button]")[1].Click();

        await cut.Find("[data-testid=confirm-button]").ClickAsync(new());

        var choice = Assert.Single(_confirmed);
        Assert.Equal(new OutcomeChoice(2, "No answer", Mobile.Number, null), choice);
    }

    [Fact]
    public async Task Confirm_NoCallableNumbers_PassesNoNumber()
    {
        var cut = RenderPanel(dialledNumber: null, phones: [Blocked]);
        cut.FindAll("[data-testid=outcome-button]")[1].Click();

        await cut.Find("[data-testid=confirm-button]").ClickAsync(new());

        Assert.Null(Assert.Single(_confirmed).NumberDialled);
    }

    [Fact]
    public void Render_Disabled_OutcomeButtonsAreDisabled()
    {
        var cut = Ctx.Render<OutcomePanel>(p => p.Add(x => x.Outcomes, Outcomes).Add(x => x.Disabled, true));

        Assert.All(cut.FindAll("[data-testid=outcome-button]"), b => Assert.True(b.HasAttribute("disabled")));
    }
}
