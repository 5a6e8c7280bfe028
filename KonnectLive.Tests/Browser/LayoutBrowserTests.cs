using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// The walkthrough's layout findings at 1366×768 (and 390 px): on the chase list the last attempt's full text is in a
/// tooltip and the "No number to call" chip is whole; on Configuration → Users every row's Disable button is on screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutBrowserTests(BrowserFixture fixture)
{
    /// <summary>Whether the element's content is cut (wider than its box) or it sticks out of its clipping ancestor or the window.</summary>
    private const string ClippedScript = """
        el => {
            const box = el.getBoundingClientRect();
            if (el.scrollWidth > el.clientWidth + 1) return 'content cut: ' + el.scrollWidth + ' > ' + el.clientWidth;
            if (box.right > window.innerWidth + 1) return 'beyond the window: ' + box.right + ' > ' + window.innerWidth;
            for (let p = el.parentElement; p; p = p.parentElement) {
                const s = getComputedStyle(p);
                if (s.overflowX !== 'visible') {
                    const r = p.getBoundingClientRect();
                    if (box.right > r.right + 1 || box.left < r.left - 1) return 'cut by ' + p.className + ': ' + box.left + '–' + box.right + ' outside ' + r.left + '–' + r.right;
                }
            }
            return '';
        }
        """;

    private static async Task AssertWholeAsync(ILocator element, string what)
    {
        var clipped = await element.EvaluateAsync<string>(ClippedScript);
        Assert.True(clipped == "", $"{what}: {clipped}");
    }

    [Fact]
    public async Task ChaseList_1366And390_LastAttemptHasItsFullTextAsATooltip_NoNumberChipIsWhole()
    {
        var shop = await fixture.App.NewDealershipAsync("Layout", customers: 2);
        var agent = await fixture.App.NewAgentAsync("Lena Layout", shop.Id);
        var unreachable = shop.Customers[0];
        await using (var db = await fixture.App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
        {
            var phone = await db.CustomerPhones.SingleAsync(p => p.CustomerId == unreachable.CustomerId);
            // A long name, as real ones are: the chip must stay whole beside it.
            var customer = await db.Customers.SingleAsync(c => c.Id == unreachable.CustomerId);
            customer.LastName = "Featherstonehaugh-Montgomery";
            phone.Unsubscribe(ContactChannel.Call, "test", DateTime.UtcNow);
            await db.SaveChangesAsync();
            // Called before (yesterday at 14:30): the Last attempt column has a date and time to show.
            var calledAt = DateTime.UtcNow.Date.AddDays(-1).AddHours(13).AddMinutes(30);
            await db.SurveyRecords.Where(r => r.Id == unreachable.RecordId).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastAttemptAt, calledAt));
        }

        await using var session = await fixture.SignInAsync(agent.UserName);
        await session.Page.SetViewportSizeAsync(1366, 768);
        await session.GotoAsync("/csi/chase-list");
        var row = session.Row(unreachable.RecordId);
        await Expect(row.GetByTestId("no-callable-number")).ToBeVisibleAsync();
        await session.ScreenshotAsync("layout-chase-list-1366");

        var lastAttempt = row.GetByTestId("last-attempt");
        // The cell shows "02 Jun 25 14:30"; the tooltip the full date, "02 Jun 2025 14:30".
        var text = (await lastAttempt.TextContentAsync())!.Trim();
        var title = await lastAttempt.GetAttributeAsync("title");
        Assert.Matches(@"^\d\d \w{3} \d{4} \d\d:\d\d$", title);
        Assert.Equal(text, title![..7] + title[9..]);
        await AssertWholeAsync(lastAttempt, "Last attempt at 1366");
        await AssertWholeAsync(row.GetByTestId("no-callable-number"), "No number to call at 1366");
        await AssertWholeAsync(row.Locator("td").Last.Locator("button"), "Message at 1366");

        await session.Page.SetViewportSizeAsync(390, 844);
        await Expect(row.GetByTestId("no-callable-number")).ToBeVisibleAsync();
        await row.GetByTestId("no-callable-number").ScrollIntoViewIfNeededAsync();
        await session.ScreenshotAsync("layout-chase-list-390");
        await AssertWholeAsync(row.GetByTestId("no-callable-number"), "No number to call at 390");
        await AssertWholeAsync(row.GetByTestId("customer-name"), "The customer's name at 390");
        await AssertWholeAsync(lastAttempt, "Last attempt at 390");
    }

    [Fact]
    public async Task Users_1366And390_EveryDisableButtonIsOnScreen()
    {
        await using var admin = await fixture.SignInAsync("admin");
        await admin.Page.SetViewportSizeAsync(1366, 768);
        await admin.GotoAsync("/configuration/users");
        var disable = admin.Page.GetByTestId("disable");
        await Expect(disable.First).ToBeVisibleAsync();
        await admin.ScreenshotAsync("layout-users-1366");
        foreach (var button in await disable.AllAsync()) await AssertWholeAsync(button, $"{await button.GetAttributeAsync("aria-label")} at 1366");

        await admin.Page.SetViewportSizeAsync(390, 844);
        await admin.ScreenshotAsync("layout-users-390");
        await AssertWholeAsync(disable.First, "The first Disable at 390");
    }

    /// <summary>The walkthrough of 2026-12-01: at 1366×768 with the menu open the outcomes table ran past its card and cut
    /// Edit and Deactivate to "ED" and "DEACTIVA".</summary>
    [Fact]
    public async Task Outcomes_1366_EveryEditAndDeactivateIsOnScreen()
    {
        await using var admin = await fixture.SignInAsync("admin");
        await admin.Page.SetViewportSizeAsync(1366, 768);
        await admin.GotoAsync("/configuration/outcomes");
        var edit = admin.Page.GetByTestId("edit");
        await Expect(edit.First).ToBeVisibleAsync();
        await admin.ScreenshotAsync("layout-outcomes-1366");
        foreach (var button in await edit.AllAsync()) await AssertWholeAsync(button, $"{await button.GetAttributeAsync("aria-label")} at 1366");
        foreach (var button in await admin.Page.GetByTestId("deactivate").AllAsync())
            await AssertWholeAsync(button, $"{await button.GetAttributeAsync("aria-label")} at 1366");
    }
}
