using KonnectLive.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ChaseListBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    [Fact]
    public async Task TwoAgents_LockIsSeenLiveRefusedAndReleasedToTheBottom()
    {
        // Its own dealership and agents: their list holds only this test's customers, whatever other tests did.
        var shop = await App.NewDealershipAsync("Twoagents", customers: 3);
        var customer = shop.Customers[0];
        var tara = await App.NewAgentAsync("Tara Lock", shop.Id);
        var theo = await App.NewAgentAsync("Theo Lock", shop.Id);
        await using var caller = await fixture.SignInAsync(tara.UserName);
        await using var watcher = await fixture.SignInAsync(theo.UserName);
        await caller.GotoAsync("/csi/chase-list");
        await watcher.GotoAsync("/csi/chase-list");

        await Expect(watcher.Row(customer.RecordId)).ToContainTextAsync("Free");
        await caller.ScreenshotAsync("chase-list");

        // The caller opens the first customer: they land on the calling page holding the lock.
        await caller.Row(customer.RecordId).GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await caller.WaitForUrlOrScreenshotAsync($"/csi/call/{customer.RecordId}", "failure-opening-customer");
        await Expect(caller.Page.GetByTestId("calling-customer")).ToHaveTextAsync(customer.Name);
        await caller.ScreenshotAsync("calling-page");

        // The watcher's list shows who is calling, without a reload.
        await Expect(watcher.Row(customer.RecordId)).ToContainTextAsync($"Being called by {tara.DisplayName}");
        await watcher.ScreenshotAsync("chase-list-locked");

        // The watcher presses Open anyway: told who has it, stays on the list.
        await watcher.Row(customer.RecordId).GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(watcher.Page.Locator(".mud-snackbar")).ToContainTextAsync($"{customer.Name} is being called by {tara.DisplayName}");
        Assert.EndsWith("/csi/chase-list", watcher.Page.Url);
        await watcher.ScreenshotAsync("chase-list-snackbar");

        // The caller records an outcome.
        await caller.Page.GetByRole(AriaRole.Button, new() { Name = "No answer" }).ClickAsync();
        await Expect(caller.Page.GetByTestId("go-back-button")).ToBeVisibleAsync();
        await caller.ScreenshotAsync("calling-page-confirm");
        await caller.Page.GetByTestId("confirm-button").ClickAsync();
        await caller.WaitForUrlOrScreenshotAsync("/csi/chase-list", "failure-after-confirm");

        // The watcher sees the customer leave the top of the list, free again, and now last in the list.
        var rows = watcher.Page.Locator("tbody tr.chase-row");
        await Expect(rows.First.Locator($"[data-record-id='{shop.Customers[1].RecordId}']")).ToHaveCountAsync(1);
        await Expect(rows.Last.Locator($"[data-record-id='{customer.RecordId}']")).ToHaveCountAsync(1);
        await Expect(rows.Last).ToContainTextAsync("Free");

        var stored = await App.RecordAsync(customer.RecordId);
        Assert.Null(stored.LockHolderId);
        Assert.NotNull(stored.LastAttemptAt);
    }

    [Fact]
    public async Task ClosedTab_LockDisappearsAfterGracePeriod()
    {
        var shop = await App.NewDealershipAsync("Closedtab", customers: 1);
        var customer = shop.Customers[0];
        var callerAgent = await App.NewAgentAsync("Cora Closed", shop.Id);
        var watcherAgent = await App.NewAgentAsync("Walt Closed", shop.Id);
        await using var watcher = await fixture.SignInAsync(watcherAgent.UserName);
        var caller = await fixture.SignInAsync(callerAgent.UserName);
        await watcher.GotoAsync("/csi/chase-list");

        await caller.GotoAsync($"/csi/call/{customer.RecordId}");
        await Expect(caller.Page.GetByTestId("calling-customer")).ToBeVisibleAsync();
        await Expect(watcher.Row(customer.RecordId)).ToContainTextAsync($"Being called by {callerAgent.DisplayName}");

        // The agent closes the tab without Confirm or Re-List.
        await caller.Page.CloseAsync();
        await caller.Context.DisposeAsync();

        await Expect(watcher.Row(customer.RecordId)).ToContainTextAsync("Free", new() { Timeout = (AppFixture.LeaseSeconds + 10) * 1000 });
        Assert.Null((await App.RecordAsync(customer.RecordId)).LockHolderId);
    }
}
