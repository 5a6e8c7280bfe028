using KonnectLive.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>On a phone (390 px) a snackbar covers none of the page's actions that are on screen: the calling page's and the chase list's.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SnackbarBrowserTests(BrowserFixture fixture)
{
    /// <summary>The visible, enabled buttons of the page (not the app bar) that the snackbar's box overlaps.</summary>
    private static Task<string[]> CoveredActionsAsync(IPage page) => page.EvaluateAsync<string[]>("""
        () => {
            const bar = document.querySelector('.mud-snackbar');
            if (!bar) return ['no snackbar'];
            const s = bar.getBoundingClientRect();
            // What the page shows starts below the app bar: a button scrolled under the app bar is hidden by it anyway.
            const top = document.querySelector('.mud-appbar').getBoundingClientRect().bottom;
            return [...document.querySelectorAll('main button, main a.mud-button-root, main [role=button]')]
                .filter(b => !b.disabled && b.offsetParent !== null)
                .filter(b => { const r = b.getBoundingClientRect();
                               return r.width > 0 && r.bottom > top && r.top < innerHeight && s.bottom > top
                                   && r.left < s.right && r.right > s.left && r.top < s.bottom && r.bottom > s.top; })
                .map(b => (b.getAttribute('aria-label') || b.textContent).trim());
        }
        """);

    private static async Task ShowSnackbarAsync(AgentSession session)
    {
        // Choosing Ready in the app bar says so in a snackbar, on any page.
        await session.Page.GetByTestId("agent-state").GetByRole(AriaRole.Button).ClickAsync();
        await session.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Ready", Exact = true }).ClickAsync();
        await Expect(session.Page.Locator(".mud-snackbar")).ToBeVisibleAsync();
        await session.Page.WaitForTimeoutAsync(400); // its slide-in
    }

    [Fact]
    public async Task At390_SnackbarCoversNoActionOnTheChaseListOrTheCallingPage()
    {
        var shop = await fixture.App.NewDealershipAsync("Snack", customers: 8);
        var agent = await fixture.App.NewAgentAsync("Sunny Snack", shop.Id);
        await using var session = await fixture.SignInAsync(agent.UserName);
        await session.Page.SetViewportSizeAsync(390, 844);

        await session.GotoAsync("/csi/chase-list");
        await Expect(session.Row(shop.Customers[0].RecordId)).ToBeVisibleAsync();
        await session.Page.Mouse.WheelAsync(0, 300); // cards with their Open buttons fill the screen
        await ShowSnackbarAsync(session);
        await session.ScreenshotAsync("snackbar-chase-list-390");
        Assert.Empty(await CoveredActionsAsync(session.Page));

        await session.GotoAsync($"/csi/call/{shop.Customers[1].RecordId}");
        await Expect(session.Page.GetByTestId("calling-customer")).ToBeVisibleAsync();
        await session.Page.Locator(".mud-snackbar").First.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 })
            .ContinueWith(_ => { }); // the chase list's snackbar may still be going
        await ShowSnackbarAsync(session);
        await session.ScreenshotAsync("snackbar-calling-page-390");
        Assert.Empty(await CoveredActionsAsync(session.Page));
        await session.Page.Mouse.WheelAsync(0, 600); // the outcomes and Confirm further down
        await session.Page.WaitForTimeoutAsync(300);
        await session.ScreenshotAsync("snackbar-calling-page-390-outcomes");
        Assert.Empty(await CoveredActionsAsync(session.Page));
    }
}
