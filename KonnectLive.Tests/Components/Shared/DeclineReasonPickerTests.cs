using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Tests.Core;
using KonnectLive.Tests.Core.Users;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Shared;

/// <summary>The decline-reason picker offers an agent their own proposals, marked, and never another agent's.</summary>
public sealed class DeclineReasonPickerTests : ComponentTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly UserScope _nadia = CoreTestDatabase.Agent("Nadia North", dealershipId: null);
    private readonly UserScope _noah = CoreTestDatabase.Agent("Noah Northcote", dealershipId: null);
    private CoreTestDatabase _db = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    private DeclineReasonService Service => _db.Services.GetRequiredService<DeclineReasonService>();

    public override async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        Ctx.Services.AddSingleton(Service);
        _popovers = Ctx.Render<MudPopoverProvider>();
        _snackbars = Ctx.Render<MudSnackbarProvider>();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IRenderedComponent<DeclineReasonPicker> RenderPicker(UserScope user, Action<int?>? chosen = null) =>
        Ctx.Render<DeclineReasonPicker>(p => p
            .Add(x => x.Scope, user)
            .Add(x => x.ValueChanged, (int? v) => chosen?.Invoke(v)));

    /// <summary>Opens the select and reads what it offers: each item's text, and whether it is marked as the agent's proposal.</summary>
    private List<(string Text, bool Proposal)> Offered(IRenderedComponent<DeclineReasonPicker> cut)
    {
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-progress-linear")), Patience);
        cut.Find("[data-testid=decline-reason]").Closest(".mud-input-control")!.MouseDown();
        _popovers.WaitForAssertion(() => Assert.NotEmpty(_popovers.FindAll(".mud-list-item")), Patience);
        return [.. _popovers.FindAll(".mud-list-item").Select(e => (
            string.Join(' ', e.TextContent.Split(default(char[]), StringSplitOptions.RemoveEmptyEntries)),
            e.QuerySelector("[data-testid=proposal-mark]") is not null))];
    }

    [Fact]
    public async Task Open_WithProposals_ShowsTheAgentsOwnMarked_HidesOtherAgents()
    {
        await Service.AddAsync(_nadia, "Moved abroad");
        await Service.AddAsync(_noah, "Too busy");

        var offered = Offered(RenderPicker(_nadia));

        Assert.Equal([.. DatabaseInitializer.DefaultDeclineReasons.Select(n => (n, false)), ("Moved abroad · your proposal, awaiting an admin", true)], offered);
        Assert.DoesNotContain(offered, o => o.Text.Contains("Too busy"));
    }

    [Fact]
    public async Task Open_AfterAnAdminApproved_NoLongerMarked_AndOfferedToOthers()
    {
        var proposal = await Service.AddAsync(_nadia, "Moved abroad");
        var admin = await _db.CreateUserAsync("ada", Roles.Admin);
        await Service.ApproveAsync(admin, proposal.Id);

        var offered = Offered(RenderPicker(_noah));

        Assert.Equal(("Moved abroad", false), offered[^1]);
    }

    [Fact]
    public async Task Add_ByAgent_ChosenAndMarkedAsTheirProposal()
    {
        int? chosen = null;
        var cut = RenderPicker(_nadia, v => chosen = v);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-progress-linear")), Patience);

        await cut.Find("[data-testid=add-decline-reason]").ClickAsync(new());
        await cut.Find("[data-testid=new-decline-reason]").InputAsync(new() { Value = "Moved abroad" });
        await cut.Find("[data-testid=add-decline-reason-confirm]").ClickAsync(new());

        _snackbars.WaitForAssertion(() => Assert.Contains("Only you see it until an admin approves it.", _snackbars.Markup), Patience);
        Assert.NotNull(chosen);
        Assert.Equal(("Moved abroad · your proposal, awaiting an admin", true), Offered(cut)[^1]);
    }
}
