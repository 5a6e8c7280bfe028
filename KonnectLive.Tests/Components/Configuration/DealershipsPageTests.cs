using Bunit;
using KonnectLive.Core.Dealerships;
using KonnectLive.Desktop.Components.Pages.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Configuration;

public sealed class DealershipsPageTests : ConfigurationPageTest
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    private DealershipService Service => Ctx.Services.GetRequiredService<DealershipService>();

    private IRenderedComponent<Dealerships> RenderPage(int expectedRows)
    {
        Ctx.Render<MudPopoverProvider>();
        Ctx.Render<MudSnackbarProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<Dealerships>();
        cut.WaitForAssertion(() => Assert.Equal(expectedRows, cut.FindAll("[data-testid=code]").Count), Patience);
        return cut;
    }

    [Fact]
    public async Task Render_Dealerships_ListsCodeZoneAndHoursInWords()
    {
        await Service.CreateAsync(new DealershipInput { Code = "NGM", Name = "Northgate Motors", TimeZone = "Europe/London" }, Admin);
        await Service.CreateAsync(new DealershipInput
        {
            Code = "SBC", Name = "Southbank Cars", TimeZone = "Europe/Dublin", SendFrom = new(8, 0), SendUntil = new(8, 0),
        }, Admin);

        var cut = RenderPage(expectedRows: 2);

        Assert.Equal(["NGM", "SBC"], cut.FindAll("[data-testid=code]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["Europe/London", "Europe/Dublin"], cut.FindAll("[data-testid=time-zone]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["09:00–20:00", "Any time (no restriction)"], cut.FindAll("[data-testid=hours]").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public async Task Edit_DuplicateCode_ShowsWhyAndKeepsTheOldCode()
    {
        await Service.CreateAsync(new DealershipInput { Code = "NGM", Name = "Northgate Motors", TimeZone = "Europe/London" }, Admin);
        await Service.CreateAsync(new DealershipInput { Code = "SBC", Name = "Southbank Cars", TimeZone = "Europe/London" }, Admin);
        var cut = RenderPage(expectedRows: 2);

        cut.FindAll("[data-testid=edit]")[1].Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-code]")), Patience);
        _dialogs.Find("[data-testid=form-code]").Input("ngm"); // upper-cased as typed
        _dialogs.Find("[data-testid=form-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("The code NGM is already used by another dealership.", _dialogs.Find("[data-testid=server-error]").TextContent), Patience);
        Assert.Equal(["NGM", "SBC"], (await Service.ListAsync()).Select(d => d.Code).Order());
    }

    [Fact]
    public async Task Create_SendingHoursTyped_SavedAsTyped()
    {
        var cut = RenderPage(expectedRows: 0);

        cut.Find("[data-testid=new-dealership]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=form-send-from]")), Patience);
        _dialogs.Find("[data-testid=form-code]").Input("EFA");
        _dialogs.Find("[data-testid=form-name]").Input("Eastfield Autos");
        // Typed, as the call-back picker's time is, rather than picked on the clock.
        _dialogs.Find("[data-testid=form-send-from]").Change("07:30");
        _dialogs.Find("[data-testid=form-send-until]").Change("18:45");
        _dialogs.WaitForAssertion(() => Assert.Contains("07:30", _dialogs.Find("[data-testid=hours-preview]").TextContent), Patience);
        _dialogs.Find("[data-testid=form-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["07:30–18:45"], cut.FindAll("[data-testid=hours]").Select(e => e.TextContent.Trim())), Patience);
        var saved = Assert.Single(await Service.ListAsync());
        Assert.Equal((new TimeOnly(7, 30), new TimeOnly(18, 45)), (saved.SendFrom, saved.SendUntil));
    }
}
