using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// The chase list at 1366×768 (the contact centre's screen), for head office (the extra Dealership column) and a dealership
/// agent: each event's type and date whole, and a due call-back row's name and its reservation in words, not cut to an icon.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChaseListWidthBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    /// <summary>Elements of <paramref name="scope"/> matching <paramref name="selector"/> whose text is cut (wider than their box).</summary>
    private static Task<string[]> CutAsync(ILocator scope, string selector) =>
        scope.EvaluateAsync<string[]>($$"""
            root => [...root.querySelectorAll("{{selector}}")]
                .filter(e => e.scrollWidth > e.clientWidth + 1 || e.clientWidth === 0)
                .map(e => e.textContent.trim() + " (" + e.clientWidth + " of " + e.scrollWidth + " px)")
            """);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task At1366_EventDatesAndDueCallbackRowsAreWhole(bool headOffice)
    {
        var shop = await App.NewDealershipAsync(headOffice ? "WideHo" : "Wide", customers: 3);
        var booker = await App.NewAgentAsync("Bartholomew Booker-Ellingworth", shop.Id);
        var viewer = await App.NewAgentAsync(headOffice ? "Hattie Head" : "Winnie Wide", headOffice ? null : shop.Id);
        var record = shop.Customers[0];
        var now = DateTime.UtcNow;
        await using (var db = await App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
        {
            // A call-back that fell due a few minutes ago, still reserved for the agent who booked it.
            var due = now.AddMinutes(-5);
            await db.SurveyRecords.Where(r => r.Id == record.RecordId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.CallbackDueAt, due).SetProperty(r => r.ChaseKey, SurveyRecord.CallbackKey(due))
                .SetProperty(r => r.CallbackAgentId, booker.UserId).SetProperty(r => r.CallbackAgentName, booker.DisplayName)
                .SetProperty(r => r.ReservedUntil, now.AddMinutes(55)));
            await db.Customers.Where(c => c.Id == record.CustomerId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Title, "Mrs").SetProperty(c => c.FirstName, "Alexandra").SetProperty(c => c.LastName, "Montgomery-Whitfield"));
        }

        await using var session = await fixture.SignInAsync(viewer.UserName);
        await session.Page.SetViewportSizeAsync(1366, 768);
        await session.GotoAsync("/csi/chase-list");
        var row = session.Row(record.RecordId);
        await Expect(row.GetByTestId("callback-due")).ToBeVisibleAsync();
        var grid = session.Page.Locator(".chase-grid");

        await Expect(row.GetByTestId("reservation")).ToContainTextAsync($"Reserved for {booker.DisplayName}");
        Assert.Empty(await CutAsync(grid, "td.c-event .chase-cell"));
        Assert.Empty(await CutAsync(row, "[data-testid=customer-name]"));
        Assert.Empty(await CutAsync(row, "[data-testid=callback-due] .mud-chip-content, [data-testid=reservation] .mud-chip-content"));
        await session.ScreenshotAsync(headOffice ? "chase-list-1366-head-office-callback" : "chase-list-1366-callback");
    }
}
