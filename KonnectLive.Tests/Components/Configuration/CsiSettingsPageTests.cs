using Bunit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using CsiSettingsPage = KonnectLive.Desktop.Components.Pages.Configuration.CsiSettings;

namespace KonnectLive.Tests.Components.Configuration;

public sealed class CsiSettingsPageTests : ConfigurationPageTest
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    private IRenderedComponent<CsiSettingsPage> RenderPage()
    {
        _popovers = Ctx.Render<MudPopoverProvider>();
        _snackbars = Ctx.Render<MudSnackbarProvider>();
        var cut = Ctx.Render<CsiSettingsPage>();
        cut.WaitForElement("[data-testid=save-button]", Patience);
        return cut;
    }

    private static string Value(IRenderedComponent<CsiSettingsPage> cut, string testId) =>
        cut.Find($"[data-testid={testId}]").GetAttribute("value") ?? "";

    private async Task<KonnectLive.Core.Settings.CsiSettings> RowAsync()
    {
        await using var db = await CreateDbAsync();
        return await db.CsiSettings.AsNoTracking().SingleAsync();
    }

    [Fact]
    public void Render_Settings_ShowsEverySettingNameEachWithADescription()
    {
        var cut = RenderPage();

        Assert.Equal(
        [
            "CSI Awaiting State Message Contact Template", "CSI Awaiting State Message Delay", "CSI Focus Match Cut Off Days",
            "CSI Pending State Message Contact Template", "CSI Pending State Message Delay", "CSI Positive Response Threshold",
            "CSI Undo Outcome Minutes",
        ], cut.FindAll("[data-testid=setting-name]").Select(e => e.TextContent.Trim()));
        var descriptions = cut.FindAll("[data-testid=setting-description]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(7, descriptions.Count);
        Assert.All(descriptions, d => Assert.True(d.Length > 40, $"Description too short to explain its use: {d}"));
        Assert.Contains("minimum survey score", descriptions[5]);
        Assert.Contains("apply to messages queued after you save", cut.Find("[data-testid=applies-note]").TextContent);
    }

    [Fact]
    public void Render_SeededSettings_ShowsCurrentValuesAndWhoLastChangedThem()
    {
        var cut = RenderPage();

        Assert.Equal($"{DatabaseInitializer.AwaitingTemplateName} · SMS", Value(cut, "awaiting-template"));
        Assert.Equal($"{DatabaseInitializer.PendingTemplateName} · Email", Value(cut, "pending-template"));
        Assert.Equal("60", Value(cut, "awaiting-delay"));
        Assert.Equal("90", Value(cut, "cut-off-days"));
        Assert.Equal("60", Value(cut, "pending-delay"));
        Assert.Equal("9", Value(cut, "threshold"));
        Assert.Contains("= 1 h", cut.Markup);
        Assert.Equal("Last changed by system at 02 Jun 2025 10:00.", cut.Find("[data-testid=last-changed]").TextContent.Trim());
    }

    [Fact]
    public async Task Render_NoPendingTemplate_ShowsNoMessage()
    {
        await using (var db = await CreateDbAsync())
            await db.CsiSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.PendingTemplateId, (int?)null));

        var cut = RenderPage();

        Assert.Equal("No message", Value(cut, "pending-template"));
    }

    [Fact]
    public async Task Save_ChangedValues_UpdatesTheRowAndShowsSuccessSnackbar()
    {
        var cut = RenderPage();
        Time.Advance(TimeSpan.FromMinutes(30));

        cut.Find("[data-testid=awaiting-delay]").Input("90");
        cut.Find("[data-testid=threshold]").Input("7");
        cut.WaitForAssertion(() => Assert.Contains("= 1 h 30 min", cut.Markup), Patience);
        cut.Find("[data-testid=save-button]").Click();

        await EventuallyAsync(async () => (await RowAsync()).AwaitingDelayMinutes == 90, "the delay is saved");
        var row = await RowAsync();
        Assert.Equal((90, 7, "Ada Admin", Now), (row.AwaitingDelayMinutes, row.PositiveResponseThreshold, row.UpdatedBy, row.UpdatedAt));
        _snackbars.WaitForAssertion(() => Assert.Contains("CSI settings saved", _snackbars.Markup), Patience);
        cut.WaitForAssertion(() => Assert.Equal("Last changed by Ada Admin at 02 Jun 2025 10:30.",
            cut.Find("[data-testid=last-changed]").TextContent.Trim()), Patience);
        await using var db = await CreateDbAsync();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == CsiSettingsService.AuditAction));
    }

    [Fact]
    public async Task Save_OutOfRangeThreshold_ShowsTheErrorUnderTheFieldAndSavesNothing()
    {
        var cut = RenderPage();

        cut.Find("[data-testid=threshold]").Input("11");
        cut.Find("[data-testid=save-button]").Click();

        cut.WaitForAssertion(() => Assert.Contains("CSI Positive Response Threshold must be a score between 0 and 10.", cut.Markup), Patience);
        Assert.Equal("true", cut.Find("[data-testid=threshold]").GetAttribute("aria-invalid"));
        _snackbars.WaitForAssertion(() => Assert.Contains("not valid", _snackbars.Markup), Patience);
        Assert.Equal(9, (await RowAsync()).PositiveResponseThreshold);
    }

    [Fact]
    public async Task Save_NegativeDelay_ShowsErrorWhileTyping()
    {
        var cut = RenderPage();

        cut.Find("[data-testid=pending-delay]").Input("-1");

        cut.WaitForAssertion(() => Assert.Contains("CSI Pending State Message Delay must be between 0 and 43,200 minutes (30 days).", cut.Markup), Patience);
        Assert.Equal(60, (await RowAsync()).PendingDelayMinutes);
    }

    [Theory]
    [InlineData("awaiting-delay", "CSI Awaiting State Message Delay is required.")]
    [InlineData("cut-off-days", "CSI Focus Match Cut Off Days is required.")]
    [InlineData("pending-delay", "CSI Pending State Message Delay is required.")]
    [InlineData("threshold", "CSI Positive Response Threshold is required.")]
    [InlineData("undo-minutes", "CSI Undo Outcome Minutes is required.")]
    public async Task Save_NumberFieldCleared_ShowsRequiredUnderTheFieldAndSavesNothing(string testId, string message)
    {
        var cut = RenderPage();
        Time.Advance(TimeSpan.FromMinutes(30));

        cut.Find($"[data-testid={testId}]").Input(""); // cleared: before, this saved 0 (a 0 delay sends every message at once)
        cut.WaitForAssertion(() => Assert.Contains(message, cut.Markup), Patience); // said while typing, not only on Save
        cut.Find("[data-testid=save-button]").Click();

        _snackbars.WaitForAssertion(() => Assert.Contains("not valid", _snackbars.Markup), Patience);
        Assert.Equal("true", cut.Find($"[data-testid={testId}]").GetAttribute("aria-invalid"));
        Assert.Single(cut.FindAll(".mud-input-helper-text"), e => e.TextContent.Contains(message)); // said once, under its field
        var row = await RowAsync();
        Assert.Equal((60, 90, 60, 9), (row.AwaitingDelayMinutes, row.FocusMatchCutOffDays, row.PendingDelayMinutes, row.PositiveResponseThreshold));
        Assert.Equal("system", row.UpdatedBy);
        await using var db = await CreateDbAsync();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == CsiSettingsService.AuditAction));
    }

    [Fact]
    public async Task Save_ClearedFieldFilledAgain_Saves()
    {
        var cut = RenderPage();
        cut.Find("[data-testid=awaiting-delay]").Input("");
        cut.WaitForAssertion(() => Assert.Contains("CSI Awaiting State Message Delay is required.", cut.Markup), Patience);

        cut.Find("[data-testid=awaiting-delay]").Input("0"); // 0 is allowed when it is what the admin typed: straight away
        cut.WaitForAssertion(() => Assert.DoesNotContain("is required", cut.Markup), Patience);
        cut.Find("[data-testid=save-button]").Click();

        await EventuallyAsync(async () => (await RowAsync()).AwaitingDelayMinutes == 0, "the typed 0 is saved");
    }

    [Fact]
    public async Task Save_AdminRoleRemovedSinceOpening_ShowsServerRefusalAndSavesNothing()
    {
        var cut = RenderPage();
        await using (var scope = Ctx.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByIdAsync(Admin.UserId);
            Assert.True((await users.RemoveFromRoleAsync(user!, Roles.Admin)).Succeeded);
        }

        cut.Find("[data-testid=awaiting-delay]").Input("5");
        cut.Find("[data-testid=save-button]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Only administrators can change the CSI settings.",
            cut.Find("[data-testid=server-errors]").TextContent), Patience);
        Assert.Equal(60, (await RowAsync()).AwaitingDelayMinutes);
    }

    [Fact]
    public async Task Save_PendingTemplateSetToNoMessage_StoresNull()
    {
        var cut = RenderPage();

        // MudSelect opens on mouse down; its items render in the popover provider.
        cut.Find("[data-testid=pending-template]").Closest(".mud-input-control")!.MouseDown();
        _popovers.WaitForAssertion(() => Assert.Contains("No message", _popovers.Markup), Patience);
        var items = _popovers.FindAll(".mud-list-item").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(["No message", $"{DatabaseInitializer.AwaitingTemplateName} · SMS", $"{DatabaseInitializer.EmailReminderTemplateName} · Email",
            $"{DatabaseInitializer.PendingTemplateName} · Email"], items);
        _popovers.FindAll(".mud-list-item").First(e => e.TextContent.Trim() == "No message").Click();
        cut.WaitForAssertion(() => Assert.Equal("No message", Value(cut, "pending-template")), Patience);
        cut.Find("[data-testid=save-button]").Click();

        await EventuallyAsync(async () => (await RowAsync()).PendingTemplateId is null, "no pending template is stored");
    }

    [Fact]
    public async Task Discard_AfterEditing_RestoresTheSavedValues()
    {
        var cut = RenderPage();
        cut.Find("[data-testid=cut-off-days]").Input("12");

        cut.Find("[data-testid=discard-button]").Click();

        cut.WaitForAssertion(() => Assert.Equal("90", Value(cut, "cut-off-days")), Patience);
        Assert.Equal(90, (await RowAsync()).FocusMatchCutOffDays);
    }
}
