using System.Collections.Concurrent;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>A lock belongs to one calling page: a second tab of the same agent never frees it, and Continue here moves it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CallLockBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    [Fact]
    public async Task SecondTab_ClosedOrContinuedHere_NeverFreesTheCustomerAndOpenTakesTheLockOnce()
    {
        // Its own dealership: Sam calls, Harper (head office) watches the same list and tries to open.
        var shop = await App.NewDealershipAsync("TwoTabs", customers: 1);
        var southbank = shop.Id;
        var (recordId, customer) = (shop.Customers[0].RecordId, shop.Customers[0].Name);
        var samAgent = await App.NewAgentAsync("Sam Twotabs", shop.Id);
        var harperAgent = await App.NewAgentAsync("Harper Watcher", null);

        // A wallboard on the hub counts the lock-taken events for this customer.
        using var wallboardClient = await App.SignInAsync("supervisor");
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(App.BaseAddress, "hubs/live"), o =>
            {
                o.Cookies = wallboardClient.Cookies;
                o.Transports = HttpTransportType.WebSockets;
            })
            .Build();
        var heard = new ConcurrentQueue<LiveEvent>();
        hub.On<LiveEvent>("LiveEvent", e => { if (e.RecordId == recordId) heard.Enqueue(e); });
        await hub.StartAsync();

        await using var sam = await fixture.SignInAsync(samAgent.UserName);
        await using var harper = await fixture.SignInAsync(harperAgent.UserName);
        await sam.GotoAsync("/csi/chase-list");
        await harper.GotoAsync($"/csi/chase-list?dealership={southbank}");

        // Sam opens the customer from the chase list: one Open, one lock taken.
        await sam.Row(recordId).GetByRole(AriaRole.Button, new() { Name = $"Open {customer}" }).ClickAsync();
        await sam.WaitForUrlOrScreenshotAsync($"**/csi/call/{recordId}", "failure-two-tabs-open");
        await Expect(sam.Page.GetByTestId("lock-chip")).ToContainTextAsync("Locked to you");
        await Expect(harper.Row(recordId)).ToContainTextAsync("Being called by Sam Twotabs");
        await Task.Delay(1000); // room for a second event, were one published
        Assert.Single(heard, e => e.Kind == LiveEventKind.LockTaken);

        // The same address in a second tab (a duplicated tab or a bookmark): it says so and takes nothing.
        var second = await sam.Context.NewPageAsync();
        await second.GotoAsync(sam.Page.Url);
        await second.Locator("#circuit-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(second.GetByTestId("lock-alert")).ToContainTextAsync($"You have {customer} open in another tab.");
        await Expect(second.GetByTestId("continue-here")).ToBeVisibleAsync();
        await Expect(second.GetByTestId("lock-chip")).ToContainTextAsync("Open in another tab");
        await Expect(second.GetByTestId("requests-readonly-reason")).ToBeVisibleAsync(); // requests are changed where the call is
        await second.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, "calling-page-open-in-another-tab.png") });

        // Closing the second tab frees nothing: past a whole lease Harper still sees Sam calling, and cannot open them.
        await second.CloseAsync();
        await Task.Delay(TimeSpan.FromSeconds(AppFixture.LeaseSeconds + 3));
        await Expect(harper.Row(recordId)).ToContainTextAsync("Being called by Sam Twotabs");
        await harper.Row(recordId).GetByRole(AriaRole.Button, new() { Name = $"Open {customer}" }).ClickAsync();
        await Expect(harper.Page.Locator(".mud-snackbar")).ToContainTextAsync($"{customer} is being called by Sam Twotabs");
        Assert.Equal(samAgent.UserId, (await App.RecordAsync(recordId)).LockHolderId);
        await Expect(sam.Page.GetByTestId("lock-chip")).ToContainTextAsync("Locked to you");

        // Continue here in a third tab moves the call; the first tab is told at once and stops holding it.
        var third = await sam.Context.NewPageAsync();
        await third.GotoAsync(sam.Page.Url);
        await third.Locator("#circuit-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await third.GetByTestId("continue-here").ClickAsync();
        await Expect(third.GetByTestId("lock-chip")).ToContainTextAsync("Locked to you");
        // The tab that continues the call may raise and change requests now; the tab that let it go may not.
        await Expect(third.GetByTestId("requests-readonly-reason")).ToHaveCountAsync(0);
        await Expect(third.GetByTestId("requests-readonly")).ToHaveCountAsync(0);
        await Expect(sam.Page.GetByTestId("lock-alert")).ToContainTextAsync($"{customer} continues in another tab", new() { Timeout = 5_000 });
        await Expect(sam.Page.GetByTestId("requests-readonly-reason")).ToBeVisibleAsync();
        await Expect(sam.Page.GetByTestId("confirm-button")).ToHaveCountAsync(0); // no outcome chosen; the buttons are disabled
        await Expect(sam.Page.GetByRole(AriaRole.Button, new() { Name = "No answer" })).ToBeDisabledAsync();
        await Expect(sam.Page.GetByTestId("relist-button")).ToHaveCountAsync(0);
        await sam.ScreenshotAsync("calling-page-continued-in-another-tab");
        await Expect(harper.Row(recordId)).ToContainTextAsync("Being called by Sam Twotabs");
        Assert.Single(heard, e => e.Kind == LiveEventKind.LockTaken);
        Assert.Single(heard, e => e.Kind == LiveEventKind.LockMoved);

        // The tab that holds it gives the customer back: now, and only now, Harper sees them free.
        await third.GetByTestId("relist-button").ClickAsync();
        await Expect(third).ToHaveURLAsync(AgentSession.UrlEndingWith("/csi/chase-list"));
        await Expect(harper.Row(recordId)).ToContainTextAsync("Free");
        Assert.Null((await App.RecordAsync(recordId)).LockHolderId);
    }
}
