using KonnectLive.Core.Data;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>The dealership follow-up on the calling page: call back later, the decline picker, Previous / Next.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FollowUpBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    [Fact]
    public async Task CallBackLaterThenNext_CustomerLeavesTheListAndNextOpensAnotherFreeingThePrevious()
    {
        // Its own dealership, customers and head-office agent, made now: what other tests leave behind in the shared app
        // (locks, call-backs, ended chases, an agent already holding someone) and when the demo data was seeded change nothing here.
        var shop = await App.NewDealershipAsync("Followup", customers: 3);
        var (first, second, third) = (shop.Customers[0], shop.Customers[1], shop.Customers[2]);
        var me = await App.NewAgentAsync("Fola Follow", dealershipId: null);
        await using var agent = await fixture.SignInAsync(me.UserName);
        var page = agent.Page;
        await agent.GotoAsync($"/csi/chase-list?dealership={shop.Id}");

        // Open the first customer and book a call back for tomorrow with the quick choice.
        await agent.Row(first.RecordId).GetByRole(AriaRole.Button, new() { Name = $"Open {first.Name}" }).ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"/csi/call/{first.RecordId}?dealership={shop.Id}", "failure-followup-open");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(first.Name);
        await page.GetByRole(AriaRole.Button, new() { Name = DatabaseInitializer.CallBackLaterOutcome }).ClickAsync();
        await Expect(page.GetByTestId("outcome-behaviour")).ToContainTextAsync("Leaves the list until the call-back time");
        // Keyboard and screen-reader users land on the confirmation step, not at the top of the page.
        await Expect(page.Locator(":focus")).ToHaveAttributeAsync("aria-label", $"Confirm {DatabaseInitializer.CallBackLaterOutcome}");
        await page.GetByTestId("confirm-button").ClickAsync(); // nothing chosen yet: refused on the page, with the reason
        await Expect(page.GetByTestId("callback-error")).ToContainTextAsync("Choose when to call back");
        await agent.ScreenshotAsync("calling-page-callback-required");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tomorrow 10:00" }).ClickAsync();
        await Expect(page.GetByTestId("callback-error")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("callback-time")).ToHaveValueAsync("10:00");
        await Expect(page.GetByTestId("callback-reserve")).ToBeCheckedAsync();
        await Expect(page.GetByText("Keep this call-back for me for 60 minutes")).ToBeVisibleAsync();
        await agent.ScreenshotAsync("calling-page-callback-picker");
        await page.GetByRole(AriaRole.Button, new() { Name = "Choose the call-back date on a calendar" }).ClickAsync();
        await Expect(page.Locator(".mud-picker-calendar-container")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500); // the popover fades in: let it finish before the picture, not before any check
        await agent.ScreenshotAsync("calling-page-callback-calendar");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator(".mud-picker-calendar-container")).ToHaveCountAsync(0);

        await page.GetByTestId("confirm-button").ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"/csi/chase-list?dealership={shop.Id}", "failure-followup-callback");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"{first.Name}: Call back booked for");
        await Expect(page.GetByTestId("customer-name").First).ToBeVisibleAsync();
        await Expect(agent.Row(first.RecordId)).ToHaveCountAsync(0);
        var booked = await App.RecordAsync(first.RecordId);
        Assert.NotNull(booked.CallbackDueAt);
        Assert.Null(booked.LockHolderId);

        // Open the next customer; look at the decline picker with its "+" open, then go back and press Next.
        await agent.Row(second.RecordId).GetByRole(AriaRole.Button, new() { Name = $"Open {second.Name}" }).ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"/csi/call/{second.RecordId}?dealership={shop.Id}", "failure-followup-open-second");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(second.Name);
        await page.GetByRole(AriaRole.Button, new() { Name = DatabaseInitializer.DeclinedOutcome }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a decline reason" }).ClickAsync();
        await Expect(page.GetByTestId("new-decline-reason")).ToBeVisibleAsync();
        await agent.ScreenshotAsync("calling-page-decline-picker");
        await page.GetByTestId("decline-reason").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Option, new() { Name = "No time" })).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500);
        await agent.ScreenshotAsync("calling-page-decline-reasons");
        await page.GetByRole(AriaRole.Option, new() { Name = "No time" }).ClickAsync();
        await Expect(page.GetByTestId("decline-reason")).ToHaveValueAsync("No time");
        await page.GetByTestId("go-back-button").ClickAsync();

        // Next gives the second customer back and opens the one after it on the list: the third (the first is off the list).
        await page.GetByTestId("next-button").ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"/csi/call/{third.RecordId}?dealership={shop.Id}", "failure-followup-next");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(third.Name);
        await Expect(page.GetByTestId("process-summary")).ToBeVisibleAsync();
        await agent.ScreenshotAsync("calling-page-after-next");

        Assert.Null((await App.RecordAsync(second.RecordId)).LockHolderId);
        await using (var db = await App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
            Assert.False(await db.CallAttempts.AnyAsync(a => a.SurveyRecordId == second.RecordId), "Next records nothing");
        Assert.Equal(me.UserId, (await App.RecordAsync(third.RecordId)).LockHolderId);

        await page.GetByTestId("relist-button").ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"/csi/chase-list?dealership={shop.Id}", "failure-followup-relist");
    }
}
