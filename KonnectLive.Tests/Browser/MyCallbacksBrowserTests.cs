using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>My Call-backs (book on the calling page, see it listed live, open it) and the decline-reason proposals an admin reviews.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MyCallbacksBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    [Fact]
    public async Task BookOnTheCallingPage_ListedOnMyCallbacks_LiveAsOthersAreBookedAndCleared_OpenTakesTheCustomer()
    {
        // Its own dealership, customers and agent: nothing here depends on what other tests did.
        var shop = await App.NewDealershipAsync("Callbacks", customers: 2);
        var (recordId, customer) = (shop.Customers[0].RecordId, shop.Customers[0].Name);
        var (otherId, otherCustomer) = (shop.Customers[1].RecordId, shop.Customers[1].Name);
        var booker = await App.NewAgentAsync("Sam Booker", shop.Id);
        await using var agent = await fixture.SignInAsync(booker.UserName);
        var page = agent.Page;

        // Book a call-back on the calling page with a quick choice (always in the future, whatever the time of day).
        await agent.GotoAsync($"/csi/call/{recordId}");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(customer);
        await page.GetByRole(AriaRole.Button, new() { Name = DatabaseInitializer.CallBackLaterOutcome }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tomorrow 10:00" }).ClickAsync();
        await Expect(page.GetByTestId("callback-time")).ToHaveValueAsync("10:00");
        await page.GetByTestId("confirm-button").ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync("**/csi/chase-list", "failure-my-callbacks-booking");

        // Searching the chase list for them says where they are instead of just "nobody".
        var lastName = customer.Split(' ')[^1];
        await page.GetByLabel("Search name, registration or phone").FillAsync(lastName);
        var explained = page.Locator($"[data-testid=not-on-list-item][data-record-id='{recordId}']");
        await Expect(explained).ToContainTextAsync($"{customer} — call-back at");
        await Expect(explained).ToContainTextAsync("10:00 (booked by Sam Booker)");
        await Expect(explained.GetByRole(AriaRole.Link, new() { Name = customer })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"customers/\d+$"));
        await page.WaitForTimeoutAsync(300);
        await agent.ScreenshotAsync("chase-list-not-on-list");

        // The menu leads to the agent's call-backs: this one, not yet due, kept for them.
        await page.GetByRole(AriaRole.Link, new() { Name = "My Call-backs" }).ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync("**/csi/my-callbacks", "failure-my-callbacks-menu");
        await agent.WaitInteractiveAsync();
        var row = agent.Row(recordId);
        await Expect(row).ToContainTextAsync(customer);
        await Expect(row.GetByTestId("callback-due-at")).ToContainTextAsync("10:00");
        await Expect(row.GetByTestId("callback-reserved-until")).ToContainTextAsync("11:00");
        await Expect(row.GetByTestId("callback-status")).ToHaveTextAsync("Not yet due");

        // Booked elsewhere (another tab, say) and cleared again: the list follows without a reload.
        var south = await App.ScopeAsync(booker.UserName);
        var calling = App.Service<CallingService>();
        int OutcomeId(string name)
        {
            using var db = App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContext();
            return db.CallOutcomes.Where(o => o.Name == name).Select(o => o.Id).Single();
        }
        var inTwoDays = DateTime.UtcNow.Date.AddDays(2).AddHours(14); // always ahead of now, and a time people book
        await calling.RecordAttemptAsync(south, new RecordAttemptCommand(otherId, OutcomeId(DatabaseInitializer.CallBackLaterOutcome), null,
            DateTime.UtcNow, "Ring after work", inTwoDays, ReserveCallback: false));
        await Expect(agent.Row(otherId)).ToContainTextAsync(otherCustomer);
        await Expect(agent.Row(otherId).GetByTestId("callback-reserved-until")).ToHaveTextAsync("Not reserved");
        await Expect(agent.Row(otherId).GetByTestId("callback-note")).ToContainTextAsync("Ring after work");

        // Still there after a reload (and the booking's snackbar is out of the picture).
        await agent.GotoAsync("/csi/my-callbacks");
        await Expect(agent.Row(otherId)).ToHaveCountAsync(1);
        await page.SetViewportSizeAsync(1366, 768);
        await agent.ScreenshotAsync("my-callbacks");
        await page.SetViewportSizeAsync(390, 844);
        await page.WaitForTimeoutAsync(300); // the table re-lays itself out as cards
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, "my-callbacks-390.png"), FullPage = true });
        await page.SetViewportSizeAsync(1366, 768);
        await page.WaitForTimeoutAsync(1000); // the breakpoint's re-render, as below

        await calling.RecordAttemptAsync(south, new RecordAttemptCommand(otherId, OutcomeId(DatabaseInitializer.NoAnswerOutcome), null,
            DateTime.UtcNow, null));
        await Expect(agent.Row(otherId)).ToHaveCountAsync(0);
        await Expect(agent.Row(recordId)).ToHaveCountAsync(1);

        // Open goes to the calling page, which takes the customer (a call-back not yet due may be opened: they may ring early).
        await agent.Row(recordId).GetByRole(AriaRole.Link, new() { Name = $"Open {customer}" }).ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"**/csi/call/{recordId}", "failure-my-callbacks-open");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(customer);
        await Expect(page.GetByTestId("relist-button")).ToBeEnabledAsync();
        Assert.Equal(south.UserId, (await App.RecordAsync(recordId)).LockHolderId);

        // The customer rang in early: recording the call ends the call-back, gives the customer back and empties My Call-backs.
        await page.GetByRole(AriaRole.Button, new() { Name = DatabaseInitializer.NoAnswerOutcome }).ClickAsync();
        await page.GetByTestId("confirm-button").ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync("**/csi/chase-list", "failure-my-callbacks-confirm");
        var stored = await App.RecordAsync(recordId);
        Assert.Null(stored.LockHolderId);
        Assert.Null(stored.CallbackDueAt);
        await agent.GotoAsync("/csi/my-callbacks");
        await Expect(page.GetByTestId("no-callbacks")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AgentsProposal_AdminSeesItAtTheTop_MergesItIntoAnExistingReason()
    {
        var proposer = await App.ScopeAsync("agent.south");
        await App.Service<DeclineReasonService>().AddAsync(proposer, "Moved abroad (browser test)");
        await using var admin = await fixture.SignInAsync("admin");
        var page = admin.Page;

        await admin.GotoAsync("/configuration/decline-reasons");
        var proposals = page.GetByTestId("proposals");
        await Expect(proposals).ToContainTextAsync("Moved abroad (browser test)");
        await Expect(proposals).ToContainTextAsync("Sam Southall");
        await page.SetViewportSizeAsync(1366, 768);
        await admin.ScreenshotAsync("decline-reasons-proposal");
        await page.SetViewportSizeAsync(390, 844);
        await page.WaitForTimeoutAsync(300);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, "decline-reasons-proposal-390.png"), FullPage = true });
        await page.SetViewportSizeAsync(1366, 768);
        // MudBlazor re-renders the table for the new breakpoint: a click during that re-render reaches a handler that is gone.
        await page.WaitForTimeoutAsync(1000);

        await page.GetByRole(AriaRole.Button, new() { Name = "Merge Moved abroad (browser test) into another reason" }).ClickAsync();
        await page.GetByTestId("merge-into").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "No time" }).ClickAsync();
        await page.WaitForTimeoutAsync(300); // the popover closes
        await admin.ScreenshotAsync("decline-reasons-merge");
        await page.GetByTestId("merge-confirm").ClickAsync();

        await Expect(page.GetByTestId("proposals")).ToHaveCountAsync(0);
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("merged into “No time”");
        var offered = await App.Service<DeclineReasonService>().ListActiveAsync(proposer);
        Assert.DoesNotContain(offered, r => r.Name.StartsWith("Moved abroad"));

        // The report's charts, scaled to their figures, for a look.
        await admin.GotoAsync("/reports");
        await Expect(page.GetByTestId("outcomes-summary")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, "reports-charts.png"), FullPage = true });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Declined" }).ClickAsync();
        await page.WaitForTimeoutAsync(500);
        await admin.ScreenshotAsync("reports-declined-chart");
    }
}
