using Bunit;
using KonnectLive.Core.Cases;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using CaseRecordsPage = KonnectLive.Desktop.Components.Pages.Configuration.CaseRecords;

namespace KonnectLive.Tests.Components.Configuration;

/// <summary>Configuration → Case Records: a number out of range is refused with its range, never clamped or stored.</summary>
public sealed class CaseRecordsPageTests : ConfigurationPageTest
{
    private async Task<CaseRecordSettings> StoredAsync()
    {
        await using var db = await CreateDbAsync();
        return await db.CaseRecordSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == CaseRecordSettings.SingletonId) ?? new CaseRecordSettings();
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("3601")]
    public async Task SaveAbandonedSeconds_OutOfRange_SaysTheRangeKeepsWhatWasTypedAndStoresNothing(string typed)
    {
        var before = await StoredAsync();
        Ctx.Render<MudPopoverProvider>();
        var snackbars = Ctx.Render<MudSnackbarProvider>();
        var cut = Ctx.Render<CaseRecordsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=abandoned] input[type=radio]")), Patience);

        cut.FindAll("[data-testid=abandoned] input[type=radio]")[2].Click(); // only those that waited at least N seconds
        cut.WaitForAssertion(() => Assert.False(cut.Find("input[data-testid=abandoned-seconds]").HasAttribute("disabled")), Patience);
        cut.Find("input[data-testid=abandoned-seconds]").Change(typed);
        cut.Find("[data-testid=save-case-records]").Click();

        cut.WaitForAssertion(() => Assert.Contains("The minimum is 1 to 3,600 seconds.", cut.Markup), Patience); // the range, beside the field
        Assert.Equal(typed, cut.Find("input[data-testid=abandoned-seconds]").GetAttribute("value")); // not clamped to 1 or 3,600
        snackbars.WaitForAssertion(() => Assert.Contains("mud-alert-filled-error", snackbars.Markup), Patience);
        await Task.Delay(200);
        var after = await StoredAsync();
        Assert.Equal((before.AbandonedCalls, before.AbandonedMinimumSeconds), (after.AbandonedCalls, after.AbandonedMinimumSeconds));
    }
}
