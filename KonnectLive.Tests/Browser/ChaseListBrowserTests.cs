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
        await App.ReleaseLocksHeldByAsync("agent.north1", "agent.north2");
        await using var north1 = await fixture.SignInAsync("agent.north1");
        await using var north2 = await fixture.SignInAsync("agent.north2");
        await north1.GotoAsync("/csi/chase-list");
        await north2.GotoAsync("/csi/chase-list");

        var (recordId, customer) = await App.FreeAwaitingAsync("NGM");
        await Expect(north2.Row(recordId)).ToContainTextAsync("Free");
        await north1.ScreenshotAsync("chase-list");

        // north1 opens the first customer: they land on the calling page holding the lock.
        await north1.Row(recordId).GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await north1.WaitForUrlOrScreenshotAsync($"**/csi/call/{recordId}", "failure-opening-customer");
        await Expect(north1.Page.GetByTestId("calling-customer")).ToHaveTextAsync(customer);
        await north1.ScreenshotAsync("calling-page");

        // north2's list shows who is calling, without a reload.
        await Expect(north2.Row(recordId)).ToContainTextAsync("Being called by Nadia North");
        await north2.ScreenshotAsync("chase-list-locked");

        // north2 presses Open anyway: told who has it, stays on the list.
        await north2.Row(recordId).GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(north2.Page.Locator(".mud-snackbar")).ToContainTextAsync($"{customer} is being called by Nadia North");
        Assert.EndsWith("/csi/chase-list", north2.Page.Url);
        await north2.ScreenshotAsync("chase-list-snackbar");

        // north1 records an outcome.
        await north1.Page.GetByRole(AriaRole.Button, new() { Name = "No answer" }).ClickAsync();
        await Expect(north1.Page.GetByTestId("go-back-button")).ToBeVisibleAsync();
        await north1.ScreenshotAsync("calling-page-confirm");
        await north1.Page.GetByTestId("confirm-button").ClickAsync();
        await north1.WaitForUrlOrScreenshotAsync("**/csi/chase-list", "failure-after-confirm");

        // north2 sees the customer leave the top of the list, free again, and now last in the list.
        await Expect(north2.Row(recordId)).ToHaveCountAsync(0);
        await north2.Page.GetByLabel("Last page").ClickAsync();
        var lastRow = north2.Page.Locator("tbody tr.chase-row").Last;
        await Expect(lastRow.Locator($"[data-record-id='{recordId}']")).ToHaveCountAsync(1);
        await Expect(lastRow).ToContainTextAsync("Free");

        var stored = await App.RecordAsync(recordId);
        Assert.Null(stored.LockHolderId);
        Assert.NotNull(stored.LastAttemptAt);
    }

    [Fact]
    public async Task ClosedTab_LockDisappearsAfterGracePeriod()
    {
        await using var watcher = await fixture.SignInAsync("agent.south");
        var caller = await fixture.SignInAsync("ho.agent");
        var (recordId, _) = await App.FreeAwaitingAsync("SBC");
        await watcher.GotoAsync("/csi/chase-list");

        await caller.GotoAsync($"/csi/call/{recordId}");
        await Expect(caller.Page.GetByTestId("calling-customer")).ToBeVisibleAsync();
        await Expect(watcher.Row(recordId)).ToContainTextAsync("Being called by Harper Office");

        // The agent closes the tab without Confirm or Re-List.
        await caller.Page.CloseAsync();
        await caller.Context.DisposeAsync();

        await Expect(watcher.Row(recordId)).ToContainTextAsync("Free", new() { Timeout = (AppFixture.LeaseSeconds + 10) * 1000 });
        Assert.Null((await App.RecordAsync(recordId)).LockHolderId);
    }
}
