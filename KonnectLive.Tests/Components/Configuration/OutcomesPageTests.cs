using AngleSharp.Dom;
using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Desktop.Components.Pages.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Configuration;

public sealed class OutcomesPageTests : ConfigurationPageTest
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    private OutcomeAdminService Service => Ctx.Services.GetRequiredService<OutcomeAdminService>();

    private IRenderedComponent<Outcomes> RenderPage(int expectedRows)
    {
        _popovers = Ctx.Render<MudPopoverProvider>();
        Ctx.Render<MudSnackbarProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<Outcomes>();
        cut.WaitForAssertion(() => Assert.Equal(expectedRows, cut.FindAll("[data-testid=outcome-name]").Count), Patience);
        return cut;
    }

    private static List<string> Column(IRenderedComponent<Outcomes> cut, string testId) =>
        cut.FindAll($"[data-testid={testId}]")
            .Select(e => string.Join(' ', e.Descendants<IText>().Select(t => t.Text.Trim()).Where(t => t.Length > 0))).ToList();

    private async Task<CallOutcome?> FindAsync(string name)
    {
        await using var db = await CreateDbAsync();
        return await db.CallOutcomes.AsNoTracking().SingleOrDefaultAsync(o => o.Name == name);
    }

    [Fact]
    public void Render_SeededOutcomes_ShowsOrderColourNamesAndWhatEachDoesInWords()
    {
        var cut = RenderPage(expectedRows: 6);

        Assert.Equal([DatabaseInitializer.WillCompleteOutcome, DatabaseInitializer.DeclinedOutcome, DatabaseInitializer.NoAnswerOutcome,
            DatabaseInitializer.VoicemailOutcome, DatabaseInitializer.WrongNumberOutcome, DatabaseInitializer.CallBackLaterOutcome], Column(cut, "outcome-name"));
        // The colour is written out, not only shown: a colour-blind admin can read it.
        Assert.Equal(["Success", "Warning", "Default", "Info", "Error", "Primary"], Column(cut, "outcome-colour"));
        Assert.Equal(["1", "2", "3", "4", "5", "6"], Column(cut, "position"));
        var behaviours = Column(cut, "outcome-behaviour");
        Assert.Equal("Customer declined Agent picks a decline reason", behaviours[1]);
        Assert.Equal($"Wrong number Then SMS: {DatabaseInitializer.AwaitingTemplateName} Then email: {DatabaseInitializer.EmailReminderTemplateName}", behaviours[4]);
        Assert.Equal("Call back later Reserved for the booking agent for 60 min once due", behaviours[5]);
        Assert.Equal(["Contacted", "Contacted", "Not reached", "Not reached", "Bad contact details", "Contacted"], Column(cut, "outcome-category"));
        Assert.All(Column(cut, "outcome-state"), s => Assert.Equal("Active", s));
        Assert.True(cut.FindAll("[data-testid=move-up]")[0].HasAttribute("disabled"));
        Assert.True(cut.FindAll("[data-testid=move-down]")[^1].HasAttribute("disabled"));
        Assert.Equal("Move No answer up", cut.FindAll("[data-testid=move-up]")[2].GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Create_CallBackLaterViaTheDialog_ShowsOnlyItsFieldAndAddsTheOutcomeLast()
    {
        var cut = RenderPage(expectedRows: 6);

        cut.Find("[data-testid=new-outcome]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-name]")), Patience);
        Assert.Empty(_dialogs.FindAll("[data-testid=form-reserve]")); // Keep on list has no extra settings
        _dialogs.Find("[data-testid=form-name]").Input("Spoke – call back tomorrow");
        // MudSelect opens on mouse down; its items render in the popover provider.
        _dialogs.Find("[data-testid=form-behaviour]").Closest(".mud-input-control")!.MouseDown();
        _popovers.WaitForAssertion(() => Assert.Contains("Call back later", _popovers.Markup), Patience);
        _popovers.FindAll(".mud-list-item").First(e => e.TextContent.Trim() == "Call back later").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-reserve]")), Patience);
        Assert.Contains("returns at the top when due", _dialogs.Markup); // the helper text explains the chosen behaviour
        Assert.Empty(_dialogs.FindAll("[data-testid=form-next-sms]"));
        _dialogs.Find("[data-testid=form-reserve]").Input("45");
        _dialogs.Find("[data-testid=form-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal(7, cut.FindAll("[data-testid=outcome-name]").Count), Patience);
        Assert.Equal("Spoke – call back tomorrow", Column(cut, "outcome-name")[^1]);
        Assert.Equal("Call back later Reserved for the booking agent for 45 min once due", Column(cut, "outcome-behaviour")[^1]);
        var saved = await FindAsync("Spoke – call back tomorrow");
        Assert.Equal((OutcomeBehaviour.CallBackLater, 45, true), (saved!.Behaviour, saved.CallbackReserveMinutes, saved.IsActive));
    }

    [Fact]
    public async Task Edit_CallBackLaterReserveCleared_ShowsRequiredAndSavesNothing()
    {
        var cut = RenderPage(expectedRows: 6);

        cut.FindAll("[data-testid=edit]")[^1].Click(); // Call back later, reserved for 60 minutes
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-reserve]")), Patience);
        _dialogs.Find("[data-testid=form-reserve]").Input(""); // before, a cleared field saved 0: nobody's call-back kept
        _dialogs.WaitForAssertion(() => Assert.Contains(OutcomeInputValidator.ReserveMinutesRequired, _dialogs.Markup), Patience);
        _dialogs.Find("[data-testid=form-save]").Click();

        _dialogs.WaitForAssertion(() =>
        {
            Assert.Equal("true", _dialogs.Find("[data-testid=form-reserve]").GetAttribute("aria-invalid"));
            Assert.Contains(OutcomeInputValidator.ReserveMinutesRequired, _dialogs.Find(".mud-dialog").TextContent);
        }, Patience);
        Assert.Equal(60, (await FindAsync(DatabaseInitializer.CallBackLaterOutcome))!.CallbackReserveMinutes);
        await using var db = await CreateDbAsync();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == OutcomeAdminService.UpdatedAction));
    }

    [Fact]
    public async Task Create_DuplicateName_ShowsTheValidatorsMessageAndAddsNothing()
    {
        var cut = RenderPage(expectedRows: 6);

        cut.Find("[data-testid=new-outcome]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-name]")), Patience);
        _dialogs.Find("[data-testid=form-name]").Input("VOICEMAIL");
        _dialogs.Find("[data-testid=form-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("An outcome called 'VOICEMAIL' already exists.", _dialogs.Find(".mud-dialog").TextContent), Patience);
        Assert.Equal(6, (await Service.ListAsync(Admin)).Count);
    }

    [Fact]
    public async Task Deactivate_Confirmed_ShowsInactiveAndOffersActivate()
    {
        var cut = RenderPage(expectedRows: 6);

        cut.FindAll("[data-testid=deactivate]")[3].Click();
        _dialogs.WaitForAssertion(() => Assert.Contains("Deactivate outcome?", _dialogs.Markup), Patience);
        Assert.Contains("Agents will no longer see “Voicemail”", _dialogs.Markup);
        _dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Deactivate").Click();

        cut.WaitForAssertion(() => Assert.Equal("Inactive", Column(cut, "outcome-state")[3]), Patience);
        Assert.Single(cut.FindAll("[data-testid=activate]"));
        Assert.False((await FindAsync(DatabaseInitializer.VoicemailOutcome))!.IsActive);
    }

    [Fact]
    public void MoveUp_Clicked_SwapsTheRows()
    {
        var cut = RenderPage(expectedRows: 6);

        cut.FindAll("[data-testid=move-up]")[3].Click();

        cut.WaitForAssertion(() => Assert.Equal(DatabaseInitializer.VoicemailOutcome, Column(cut, "outcome-name")[2]), Patience);
        Assert.Equal(DatabaseInitializer.NoAnswerOutcome, Column(cut, "outcome-name")[3]);
    }
}
