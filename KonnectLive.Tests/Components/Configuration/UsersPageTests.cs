using Bunit;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Pages.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Configuration;

public sealed class UsersPageTests : ConfigurationPageTest
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;
    private int _northId;

    private UserAdminService Service => Ctx.Services.GetRequiredService<UserAdminService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var north = await Ctx.Services.GetRequiredService<DealershipService>().CreateAsync(
            new DealershipInput { Code = "NGM", Name = "Northgate Motors", TimeZone = "Europe/London" }, Admin);
        _northId = north.Id!.Value;
    }

    private async Task<string> AddUserAsync(string userName, string displayName, string role, int? dealershipId, bool voice)
    {
        var result = await Service.CreateAsync(new CreateUserCommand
        {
            UserName = userName, DisplayName = displayName, GeneratePassword = true, Roles = [role], DealershipId = dealershipId,
            HeadOffice = dealershipId is null, CsiVoiceEnabled = voice,
        }, Admin);
        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        return result.UserId!;
    }

    private IRenderedComponent<Users> RenderPage(int expectedRows)
    {
        _popovers = Ctx.Render<MudPopoverProvider>();
        Ctx.Render<MudSnackbarProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<Users>();
        cut.WaitForAssertion(() => Assert.Equal(expectedRows, cut.FindAll("[data-testid=user-name]").Count), Patience);
        return cut;
    }

    private static List<string> Column(IRenderedComponent<Users> cut, string testId) =>
        cut.FindAll($"[data-testid={testId}]").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public async Task Render_DemoLikeUsers_ListsRolesDealershipVoiceAndStatusText()
    {
        await AddUserAsync("agent.north1", "Nadia North", Roles.Agent, _northId, voice: true);
        var novoice = await AddUserAsync("agent.novoice", "Nell Novak", Roles.Agent, _northId, voice: false);
        await AddUserAsync("supervisor", "Sasha Supervisor", Roles.Supervisor, null, voice: true);
        await Service.DisableAsync(novoice, Admin);

        var cut = RenderPage(expectedRows: 4);

        // By display name.
        Assert.Equal(["ada", "agent.north1", "agent.novoice", "supervisor"], Column(cut, "user-name"));
        Assert.Equal(["Ada Admin", "Nadia North", "Nell Novak", "Sasha Supervisor"], Column(cut, "display-name"));
        Assert.Equal(["Admin", "Agent", "Agent", "Supervisor"], Column(cut, "roles"));
        Assert.Equal(["Head office", "Northgate Motors", "Northgate Motors", "Head office"], Column(cut, "dealership"));
        Assert.Equal(["No", "Yes", "No", "Yes"], Column(cut, "csi-voice"));
        Assert.Equal(["Active", "Active", "Disabled", "Active"], Column(cut, "status"));
        // A disabled user offers Enable instead of Disable; an admin cannot disable themselves from the page either.
        Assert.Single(cut.FindAll("[data-testid=enable]"));
        Assert.True(cut.FindAll("[data-testid=disable]")[0].HasAttribute("disabled"));
    }

    [Fact]
    public async Task Disable_Confirmed_ShowsDisabledAndEndsTheirScope()
    {
        var agentId = await AddUserAsync("agent.north1", "Nadia North", Roles.Agent, _northId, voice: true);
        var cut = RenderPage(expectedRows: 2);

        cut.FindAll("[data-testid=disable]")[1].Click();
        _dialogs.WaitForAssertion(() => Assert.Contains("Disable user?", _dialogs.Markup), Patience);
        _dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Disable").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Active", "Disabled"], Column(cut, "status")), Patience);
        Assert.Null(await Ctx.Services.GetRequiredService<UserScopeLoader>().LoadAsync(agentId));
    }

    [Fact]
    public async Task Create_GeneratedPassword_AddsTheUserAndShowsThePasswordOnce()
    {
        var cut = RenderPage(expectedRows: 1);

        cut.Find("[data-testid=new-user]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-user-name]")), Patience);
        _dialogs.Find("[data-testid=form-user-name]").Input("agent.south");
        _dialogs.Find("[data-testid=form-display-name]").Input("Sam Southall");
        _dialogs.Find("input[data-testid=form-generate], [data-testid=form-generate] input").Change(true);
        ChooseDealership("Northgate Motors (NGM)");
        _dialogs.Find("[data-testid=form-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Ada Admin", "Sam Southall"], Column(cut, "display-name")), Patience);
        var password = cut.Find("[data-testid=password]").TextContent.Trim();
        Assert.Equal(UserAdminPasswords.GeneratedLength, password.Length);
        Assert.Equal(["Admin", "Agent"], Column(cut, "roles"));
        var audit = await (await CreateDbAsync()).AuditEntries.ToListAsync();
        Assert.DoesNotContain(audit, a => a.Details != null && a.Details.Contains(password));
    }

    /// <summary>MudSelect opens on mouse down; its items render in the popover provider.</summary>
    private void ChooseDealership(string text)
    {
        _dialogs.Find("[data-testid=form-dealership]").Closest(".mud-input-control")!.MouseDown();
        _popovers.WaitForAssertion(() => Assert.Contains(text, _popovers.Markup), Patience);
        _popovers.FindAll(".mud-list-item").First(e => e.TextContent.Trim() == text).Click();
    }

    [Fact]
    public async Task Create_DealershipLeftEmpty_AsksForADealershipOrHeadOfficeAndCreatesNothing()
    {
        var cut = RenderPage(expectedRows: 1);

        cut.Find("[data-testid=new-user]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-user-name]")), Patience);
        _dialogs.Find("[data-testid=form-user-name]").Input("agent.nowhere");
        _dialogs.Find("[data-testid=form-display-name]").Input("Nora Nowhere");
        _dialogs.Find("input[data-testid=form-generate], [data-testid=form-generate] input").Change(true);
        _dialogs.Find("[data-testid=form-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains(CreateUserCommandValidator.NoDealershipMessage, _dialogs.Markup), Patience);
        Assert.Single(await Service.ListAsync(Admin));

        // Head office is a choice of its own, said in words.
        ChooseDealership("Head office (all dealerships)");
        _dialogs.Find("[data-testid=form-save]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["Ada Admin", "Nora Nowhere"], Column(cut, "display-name")), Patience);
        Assert.Null((await Service.ListAsync(Admin)).Single(u => u.UserName == "agent.nowhere").DealershipId);
    }

    [Fact]
    public async Task Create_ShortPassword_ShowsTheValidatorsMessageAndCreatesNothing()
    {
        var cut = RenderPage(expectedRows: 1);

        cut.Find("[data-testid=new-user]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-password]")), Patience);
        _dialogs.Find("[data-testid=form-user-name]").Input("agent.south");
        _dialogs.Find("[data-testid=form-display-name]").Input("Sam Southall");
        _dialogs.Find("[data-testid=form-password]").Input("Sh0rt!");
        _dialogs.Find("[data-testid=form-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("at least 10 characters", _dialogs.Markup), Patience);
        Assert.Single(await Service.ListAsync(Admin));
    }

    [Fact]
    public async Task Edit_TakenExtension_ShowsWhoHasItBesideTheField_ThenAFreeOneIsListed()
    {
        var north1 = await AddUserAsync("agent.north1", "Nadia North", Roles.Agent, _northId, voice: true);
        await AddUserAsync("agent.north2", "Nick North", Roles.Agent, _northId, voice: true);
        var edit = new EditUserCommand { UserId = north1, DisplayName = "Nadia North", Roles = [Roles.Agent], DealershipId = _northId, CsiVoiceEnabled = true, Extension = "2001" };
        Assert.Equal(UserAdminOutcome.Done, (await Service.EditAsync(edit, Admin)).Outcome);
        var cut = RenderPage(expectedRows: 3);
        Assert.Equal(["—", "2001", "—"], Column(cut, "extension"));

        cut.FindAll("[data-testid=edit]")[2].Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-extension] input, input[data-testid=form-extension]")), Patience);
        _dialogs.Find("[data-testid=form-extension] input, input[data-testid=form-extension]").Input("2001");
        _dialogs.Find("[data-testid=form-save]").Click();
        _dialogs.WaitForAssertion(() => Assert.Contains("Extension 2001 is already Nadia North", _dialogs.Markup), Patience);

        _dialogs.Find("[data-testid=form-extension] input, input[data-testid=form-extension]").Input("2002");
        _dialogs.Find("[data-testid=form-save]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["—", "2001", "2002"], Column(cut, "extension")), Patience);
    }
}
