using KonnectLive.Tests.Browser;
using KonnectLive.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KonnectLive.Tests.Security;

[Collection(BrowserCollection.Name)]
public sealed class TwoFactorBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TwoFactorPage_FromTheMenu_LabelledKeyAndLink_AtDesktopAndPhoneWidths()
    {
        var me = await fixture.App.NewAgentAsync("Setup Sunny", dealershipId: null);
        await using var session = await fixture.SignInAsync(me.UserName);
        await session.WaitInteractiveAsync();
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "Two-factor sign-in" }).ClickAsync();
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in" })).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.GetByTestId("shared-key")).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.GetByTestId("otpauth-uri")).ToContainTextAsync("otpauth://totp/");
        // Keyboard: the code field is reached by its label and the form submits with Enter.
        await session.Page.GetByLabel("Code from the app").FillAsync("000000");
        await session.Page.GetByLabel("Code from the app").PressAsync("Enter");
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");

        await session.Page.SetViewportSizeAsync(1366, 768);
        await session.ScreenshotAsync("two-factor-1366");
        await session.Page.SetViewportSizeAsync(390, 844);
        await session.ScreenshotAsync("two-factor-390");
        var overflow = await session.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the page scrolls sideways at 390 px");
    }
}
