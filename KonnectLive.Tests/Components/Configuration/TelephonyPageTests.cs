using Bunit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Telephony.AgentStates;
using KonnectLive.Core.Telephony.Dialing;
using TelephonyPage = KonnectLive.Desktop.Components.Pages.Configuration.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Configuration;

/// <summary>Configuration → Telephony's agent-state settings: the wrap-up limit refused out of range (never clamped), Enter adds a reason.</summary>
public sealed class TelephonyPageTests : ConfigurationPageTest
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    private AgentStateService States => Ctx.Services.GetRequiredService<AgentStateService>();

    private IRenderedComponent<TelephonyPage> RenderPage()
    {
        Ctx.Render<MudPopoverProvider>();
        _snackbars = Ctx.Render<MudSnackbarProvider>();
        var cut = Ctx.Render<TelephonyPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("input[data-testid=acw-limit]")), Patience);
        return cut;
    }

    private async Task<int> StoredLimitAsync()
    {
        await using var db = await CreateDbAsync();
        return (await db.TelephonySettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == TelephonySettings.SingletonId) ?? new TelephonySettings())
            .AfterCallWorkLimitSeconds;
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("3601")]
    public async Task SaveWrapUpLimit_OutOfRange_SaysTheRangeAndStoresNothing(string typed)
    {
        var before = await StoredLimitAsync();
        var cut = RenderPage();

        cut.Find("input[data-testid=acw-limit]").Input(typed);
        cut.Find("[data-testid=save-acw]").Click();

        cut.WaitForAssertion(() => Assert.Contains(AfterCallWorkInputValidator.LimitMessage, cut.Find("[data-testid=wrap-up-settings]").TextContent), Patience);
        Assert.Equal(typed, cut.Find("input[data-testid=acw-limit]").GetAttribute("value")); // not clamped to 0 or 3,600
        _snackbars.WaitForAssertion(() => Assert.Contains("The wrap-up limit was not saved", _snackbars.Markup), Patience);
        await Task.Delay(200);
        Assert.Equal(before, await StoredLimitAsync());
    }

    [Fact]
    public async Task SaveWrapUpLimit_InRange_Saved()
    {
        var cut = RenderPage();

        cut.Find("input[data-testid=acw-limit]").Input("90");
        cut.Find("[data-testid=save-acw]").Click();

        await EventuallyAsync(async () => await StoredLimitAsync() == 90, "the new limit is stored");
        _snackbars.WaitForAssertion(() => Assert.Contains("Saved: after 90 s of wrap-up", _snackbars.Markup), Patience);
    }

    [Fact]
    public async Task UpdateAfterCallWorkAsync_MinusFive_InvalidWithTheFieldsMessage_NothingStored()
    {
        var before = await StoredLimitAsync();
        var result = await States.UpdateAfterCallWorkAsync(Admin, new AfterCallWorkInput { LimitSeconds = -5, AtLimit = AfterCallWorkAtLimit.Flag });

        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.Equal((nameof(AfterCallWorkInput.LimitSeconds), AfterCallWorkInputValidator.LimitMessage), Assert.Single(result.Errors));
        Assert.Equal(before, await StoredLimitAsync());
    }

    [Fact]
    public async Task NewReason_EnterPressed_AddsItAsTheButtonDoes_AndEmptyIsRefused()
    {
        var cut = RenderPage();

        var field = cut.Find("input[data-testid=new-not-ready-reason]");
        field.Input("Coaching");
        field.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter", Code = "Enter" });

        cut.WaitForAssertion(() => Assert.Contains("Coaching", cut.Find("[data-testid=not-ready-reasons-table]").TextContent), Patience);
        Assert.Contains("Coaching", (await States.ReasonsAsync(activeOnly: true)).Select(r => r.Name));
        cut.WaitForAssertion(() => Assert.Equal("", cut.Find("input[data-testid=new-not-ready-reason]").GetAttribute("value") ?? ""), Patience);

        // Enter on an empty field: the button's validation, not a blank reason.
        var count = (await States.ReasonsAsync(activeOnly: false)).Count;
        cut.Find("input[data-testid=new-not-ready-reason]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter", Code = "Enter" });
        _snackbars.WaitForAssertion(() => Assert.Contains($"A reason is 1 to {AgentStateService.MaxReasonLength} characters.", _snackbars.Markup), Patience);
        Assert.Equal(count, (await States.ReasonsAsync(activeOnly: false)).Count);
    }

    [Fact]
    public void Render_TheMaximumCallTimeIsStated()
    {
        var cut = RenderPage();
        Assert.Contains("after 180 minutes", cut.Find("[data-testid=max-call-time]").TextContent);
        Assert.Contains(AgentStateService.NoEndEventReason, cut.Find("[data-testid=max-call-time]").TextContent);
    }
}
