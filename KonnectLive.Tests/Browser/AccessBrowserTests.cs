using System.Text.RegularExpressions;
using KonnectLive.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AccessBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task CallingPage_OtherDealershipsCustomer_ShowsMessageAndTakesNoLock()
    {
        var elsewhere = await fixture.App.NewDealershipAsync("Elsewhere", customers: 1);
        var recordId = elsewhere.Customers[0].RecordId;
        await using var south = await fixture.SignInAsync("agent.south"); // Southbank Cars: not that dealership

        await south.GotoAsync($"/csi/call/{recordId}");

        await Expect(south.Page.GetByTestId("calling-error")).ToContainTextAsync("not in your dealership");
        await Expect(south.Page.GetByRole(AriaRole.Link, new() { Name = "Back to the chase list" })).ToBeVisibleAsync();
        Assert.Null((await fixture.App.RecordAsync(recordId)).LockHolderId);
        await south.ScreenshotAsync("calling-page-other-dealership");
    }

    [Fact]
    public async Task ChaseList_UserWithoutCsiVoice_HasNoMenuAndIsDenied()
    {
        await using var novoice = await fixture.SignInAsync("agent.novoice");
        await novoice.GotoAsync("/");
        await Expect(novoice.Page.GetByText("not enabled for CSI Voice")).ToBeVisibleAsync();
        await Expect(novoice.Page.GetByRole(AriaRole.Link, new() { Name = "Chase List" })).ToHaveCountAsync(0);

        await novoice.Page.GotoAsync("/csi/chase-list");
        await Expect(novoice.Page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task LogOut_ReturnsToLoginAndEndsTheSession()
    {
        await using var agent = await fixture.SignInAsync("agent.north2");
        await agent.GotoAsync("/csi/chase-list");
        await agent.Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(agent.Page).ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = AgentSession.NavigationTimeout });
        await Expect(agent.Page.GetByText("You have logged out.")).ToBeVisibleAsync();

        await agent.Page.GotoAsync("/csi/chase-list");
        await Expect(agent.Page).ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = AgentSession.NavigationTimeout });
    }

    [Fact]
    public async Task LogIn_WrongPassword_ShowsErrorOnTheForm()
    {
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.App.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("User name").FillAsync("agent.south");
        await page.GetByLabel("Password").FillAsync("nope-nope-nope");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("User name or password is incorrect, or the account is locked.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, "login-error.png") });
        await context.DisposeAsync();
    }
}
