using System.Text.RegularExpressions;
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
        // Eastfield Autos: no other browser test works its list, so the records picked here are not disturbed.
        await App.ReleaseLocksHeldByAsync("ho.agent");
        int eastfield;
        await using (var db = await App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
            eastfield = await db.Dealerships.Where(d => d.Code == "EFA").Select(d => d.Id).SingleAsync();
        await using var agent = await fixture.SignInAsync("ho.agent");
        var page = agent.Page;
        await agent.GotoAsync($"/csi/chase-list?dealership={eastfield}");

        // Open the first customer and book a call back for tomorrow with the quick choice.
        var (first, firstName) = await App.FreeAwaitingAsync("EFA");
        await agent.Row(first).GetByRole(AriaRole.Button, new() { Name = $"Open {firstName}" }).ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"**/csi/call/{first}?dealership={eastfield}", "failure-followup-open");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(firstName);
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
        await agent.WaitForUrlOrScreenshotAsync($"**/csi/chase-list?dealership={eastfield}", "failure-followup-callback");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"{firstName}: Call back booked for");
        await Expect(page.GetByTestId("customer-name").First).ToBeVisibleAsync();
        await Expect(agent.Row(first)).ToHaveCountAsync(0);
        var booked = await App.RecordAsync(first);
        Assert.NotNull(booked.CallbackDueAt);
        Assert.Null(booked.LockHolderId);

        // Open another customer; look at the decline picker with its "+" open, then go back and press Next.
        var (second, secondName) = await App.FreeAwaitingAsync("EFA", first);
        await agent.Row(second).GetByRole(AriaRole.Button, new() { Name = $"Open {secondName}" }).ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"**/csi/call/{second}?dealership={eastfield}", "failure-followup-open-second");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(secondName);
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

        await page.GetByTestId("next-button").ClickAsync();
        try
        {
            await page.WaitForURLAsync(new Regex($@"/csi/call/(?!{second}\?)\d+\?dealership={eastfield}$"));
        }
        catch (TimeoutException)
        {
            await agent.ScreenshotAsync("failure-followup-next");
            throw;
        }
        await Expect(page.GetByTestId("calling-customer")).Not.ToHaveTextAsync(secondName);
        await Expect(page.GetByTestId("process-summary")).ToBeVisibleAsync();
        await agent.ScreenshotAsync("calling-page-after-next");

        var third = int.Parse(new Uri(page.Url).Segments[^1]);
        Assert.NotEqual(second, third);
        Assert.NotEqual(first, third);
        Assert.Null((await App.RecordAsync(second)).LockHolderId);
        await using (var db = await App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
            Assert.False(await db.CallAttempts.AnyAsync(a => a.SurveyRecordId == second), "Next records nothing");
        var holder = await App.ScopeAsync("ho.agent");
        Assert.Equal(holder.UserId, (await App.RecordAsync(third)).LockHolderId);

        await page.GetByTestId("relist-button").ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"**/csi/chase-list?dealership={eastfield}", "failure-followup-relist");
    }
}
