using AngleSharp.Dom;
using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using KonnectLive.Desktop.Components.Pages.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Configuration;

public sealed class DeclineReasonsPageTests : ConfigurationPageTest
{
    private static readonly IReadOnlyList<string> Seeded = DatabaseInitializer.DefaultDeclineReasons;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    private DeclineReasonService Service => Ctx.Services.GetRequiredService<DeclineReasonService>();

    private IRenderedComponent<DeclineReasons> RenderPage(int expectedRows)
    {
        _popovers = Ctx.Render<MudPopoverProvider>();
        Ctx.Render<MudSnackbarProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<DeclineReasons>();
        cut.WaitForAssertion(() => Assert.Equal(expectedRows, cut.FindAll("[data-testid=reason-name]").Count), Patience);
        return cut;
    }

    private static List<string> Column(IRenderedComponent<DeclineReasons> cut, string testId) =>
        cut.FindAll($"[data-testid={testId}]")
            .Select(e => string.Join(' ', e.Descendants<IText>().Select(t => t.Text.Trim()).Where(t => t.Length > 0))).ToList();

    [Fact]
    public async Task Render_Seeded_ListsReasonsInOrderWithStateUsesAndWhoAdded()
    {
        await Service.SetActiveAsync(Admin, (await Service.ListAllAsync(Admin)).Single(r => r.Name == "No time").Id, false);

        var cut = RenderPage(expectedRows: Seeded.Count);

        Assert.Equal(Seeded, Column(cut, "reason-name"));
        Assert.Equal("Inactive", Column(cut, "reason-state")[Seeded.ToList().IndexOf("No time")]);
        Assert.All(Column(cut, "reason-uses"), u => Assert.Equal("0", u));
        Assert.Equal("system 02 Jun 2025 10:00", Column(cut, "reason-added-by")[0]); // Europe/London (BST)
        Assert.Single(cut.FindAll("[data-testid=activate]"));
    }

    [Fact]
    public async Task Add_ViaTheDialog_AddsTheReasonLastWithTheAdminAsAuthor()
    {
        var cut = RenderPage(expectedRows: Seeded.Count);

        cut.Find("[data-testid=new-reason]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-name]")), Patience);
        _dialogs.Find("[data-testid=form-name]").Input("Moved abroad");
        _dialogs.Find("[data-testid=form-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Moved abroad", Column(cut, "reason-name")[^1]), Patience);
        Assert.StartsWith("Ada Admin", Column(cut, "reason-added-by")[^1]);
        Assert.Contains("Moved abroad", (await Service.ListActiveAsync(Admin)).Select(r => r.Name));
    }

    [Fact]
    public async Task Rename_ToAnotherReasonsName_ShowsWhyAndKeepsBoth()
    {
        var cut = RenderPage(expectedRows: Seeded.Count);

        cut.FindAll("[data-testid=rename]")[0].Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-name]")), Patience);
        _dialogs.Find("[data-testid=form-name]").Input("no TIME");
        _dialogs.Find("[data-testid=form-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("A decline reason called 'No time' already exists.", _dialogs.Find(".mud-dialog").TextContent), Patience);
        Assert.Equal(Seeded, (await Service.ListActiveAsync(Admin)).Select(r => r.Name));
    }

    [Fact]
    public async Task Rename_NewName_ShowsItInTheList()
    {
        var cut = RenderPage(expectedRows: Seeded.Count);

        cut.FindAll("[data-testid=rename]")[0].Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-name]")), Patience);
        _dialogs.Find("[data-testid=form-name]").Input("Never does surveys");
        _dialogs.Find("[data-testid=form-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Never does surveys", Column(cut, "reason-name")[0]), Patience);
        Assert.Equal("Never does surveys", (await Service.ListActiveAsync(Admin))[0].Name);
    }

    [Fact]
    public async Task Deactivate_Confirmed_ShowsInactiveAndAgentsNoLongerSeeIt()
    {
        var cut = RenderPage(expectedRows: Seeded.Count);

        cut.FindAll("[data-testid=deactivate]")[1].Click();
        _dialogs.WaitForAssertion(() => Assert.Contains("Deactivate decline reason?", _dialogs.Markup), Patience);
        _dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Deactivate").Click();

        cut.WaitForAssertion(() => Assert.Equal("Inactive", Column(cut, "reason-state")[1]), Patience);
        Assert.DoesNotContain(Seeded[1], (await Service.ListActiveAsync(Admin)).Select(r => r.Name));
    }

    [Fact]
    public void MoveDown_Clicked_SwapsTheRows()
    {
        var cut = RenderPage(expectedRows: Seeded.Count);

        cut.FindAll("[data-testid=move-down]")[0].Click();

        cut.WaitForAssertion(() => Assert.Equal([Seeded[1], Seeded[0]], Column(cut, "reason-name").Take(2)), Patience);
    }

    private async Task<DeclineReasonView> ProposeAsync(string name)
    {
        var agent = await CreateUserAsync($"agent.{Guid.NewGuid():N}", "Nadia North", Roles.Agent);
        return await Service.AddAsync(agent with { CsiVoiceEnabled = true }, name);
    }

    [Fact]
    public async Task Proposals_ListedApartAtTheTop_ApproveMovesOneIntoTheAgentsList()
    {
        await ProposeAsync("Moved abroad");

        var cut = RenderPage(expectedRows: Seeded.Count);

        cut.WaitForAssertion(() => Assert.Equal(["Moved abroad"], Column(cut, "proposal-name")), Patience);
        Assert.StartsWith("Nadia North", Column(cut, "proposal-by")[0]);
        Assert.DoesNotContain("Moved abroad", Column(cut, "reason-name"));
        cut.Find("[data-testid=approve]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Moved abroad", Column(cut, "reason-name")[^1]), Patience);
        Assert.Empty(cut.FindAll("[data-testid=proposals]"));
        Assert.Contains("Moved abroad", (await Service.ListActiveAsync(Admin)).Select(r => r.Name));
    }

    [Fact]
    public async Task Proposals_RenameAndApprove_ApprovedUnderTheNewName()
    {
        await ProposeAsync("moved abrod");
        var cut = RenderPage(expectedRows: Seeded.Count);

        cut.WaitForAssertion(() => cut.Find("[data-testid=rename-approve]").Click(), Patience);
        _dialogs.WaitForAssertion(() => Assert.Contains("Rename and approve moved abrod", _dialogs.Markup), Patience);
        _dialogs.Find("[data-testid=form-name]").Input("Moved abroad");
        _dialogs.Find("[data-testid=form-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Moved abroad", Column(cut, "reason-name")[^1]), Patience);
        Assert.Empty(cut.FindAll("[data-testid=proposals]"));
    }

    [Fact]
    public async Task Proposals_MergeIntoAnExistingReason_ViaTheDialog_TheProposalIsGone()
    {
        var proposal = await ProposeAsync("Too busy");
        var cut = RenderPage(expectedRows: Seeded.Count);

        cut.WaitForAssertion(() => cut.Find("[data-testid=merge]").Click(), Patience);
        _dialogs.WaitForAssertion(() => Assert.Contains("No declined call gave it yet", _dialogs.Markup), Patience);
        _dialogs.Find("[data-testid=merge-into]").Closest(".mud-input-control")!.MouseDown();
        _popovers.WaitForAssertion(() => Assert.Contains("No time", _popovers.Markup), Patience);
        _popovers.FindAll(".mud-list-item").First(e => e.TextContent.Trim() == "No time").Click();
        _dialogs.WaitForAssertion(() => Assert.False(_dialogs.Find("[data-testid=merge-confirm]").HasAttribute("disabled")), Patience);
        _dialogs.Find("[data-testid=merge-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=proposals]")), Patience);
        Assert.Equal(Seeded, Column(cut, "reason-name"));
        await using var db = await CreateDbAsync();
        var merged = await db.DeclineReasons.SingleAsync(r => r.Id == proposal.Id);
        Assert.Equal((DeclineReasonStatus.Merged, false), (merged.Status, merged.IsActive));
    }
}
