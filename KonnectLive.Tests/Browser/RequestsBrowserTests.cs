using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Requests;
using KonnectLive.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// An agent raises a request on the calling page, fills and saves it, records the outcome, and finds the request on that
/// call in the customer's history; the "Requests by type" report counts it. The history fits its card at 1366 and 390 px.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RequestsBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AgentRaisesRequestOnCall_RecordsOutcome_HistoryShowsItAndReportCountsIt()
    {
        var shop = await fixture.App.NewDealershipAsync("Reqs", customers: 1);
        var agent = await fixture.App.NewAgentAsync("Rhea Request", shop.Id);
        var customer = shop.Customers[0];
        var typeName = $"Callback wish {Guid.NewGuid():N}"[..22];
        var saved = await fixture.App.Service<RequestTypeService>().SaveAsync(await fixture.App.ScopeAsync("admin"), new RequestTypeInput
        {
            Name = typeName,
            Fields =
            [
                new() { Name = "Reason", Type = CustomFieldType.Choice, Choices = "Recall\nRepair", IsRequired = true },
                new() { Name = "Details", Type = CustomFieldType.Text },
            ],
        });
        Assert.True(saved.Succeeded, saved.Message);

        await using var session = await fixture.SignInAsync(agent.UserName);
        var page = session.Page;
        await page.SetViewportSizeAsync(1366, 768);
        await session.GotoAsync($"/csi/call/{customer.RecordId}");
        await Expect(page.GetByTestId("lock-chip")).ToContainTextAsync("Locked to you", new() { Timeout = 10_000 });

        var panel = page.GetByTestId("requests-panel");
        await panel.GetByTestId("request-type-select").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = typeName }).ClickAsync();
        await panel.GetByTestId("request-raise").ClickAsync();
        var item = panel.GetByTestId("request-item");
        await Expect(item).ToHaveCountAsync(1);
        await item.Locator("[data-field=Details] textarea").First.FillAsync("Wants the 10:00 slot");
        await item.Locator("[data-field=Reason] .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Repair" }).ClickAsync();
        await item.GetByTestId("request-save").ClickAsync();
        await Expect(item.GetByTestId("request-status")).ToHaveTextAsync("Saved");
        await panel.ScrollIntoViewIfNeededAsync();
        await session.ScreenshotAsync("requests-calling-page-1366");

        await page.GetByRole(AriaRole.Button, new() { Name = DatabaseInitializer.NoAnswerOutcome }).ClickAsync();
        await page.GetByTestId("confirm-button").ClickAsync();
        await session.WaitForUrlOrScreenshotAsync("/csi/chase-list", "failure-requests-record");

        await session.GotoAsync($"/customers/{customer.CustomerId}");
        var row = page.Locator("[data-testid=interaction-row][data-kind=Call]");
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Expect(row.GetByTestId("interaction-request-chip")).ToContainTextAsync(typeName);
        await row.ClickAsync();
        var request = page.GetByTestId("interaction-request");
        await Expect(request).ToContainTextAsync(typeName);
        await Expect(request.Locator("[data-testid=interaction-request-value][data-field=Reason]")).ToHaveTextAsync("Repair");
        await Expect(request.Locator("[data-testid=interaction-request-value][data-field=Details]")).ToHaveTextAsync("Wants the 10:00 slot");
        await AssertHistoryFitsAsync(page);
        await page.GetByTestId("interaction-history").ScrollIntoViewIfNeededAsync();
        await session.ScreenshotAsync("requests-history-1366");
        await page.SetViewportSizeAsync(390, 844);
        await AssertHistoryFitsAsync(page);
        await page.GetByTestId("interaction-history").ScrollIntoViewIfNeededAsync();
        await session.ScreenshotAsync("requests-history-390");

        var report = await fixture.App.Service<RequestsQuery>().ByTypeAsync(await fixture.App.ScopeAsync("supervisor"),
            ReportRange.LastDays(1, fixture.App.Service<TimeProvider>().GetUtcNow()), shop.Id);
        var counted = Assert.Single(report);
        Assert.Equal((typeName, 1, 0), (counted.Type, counted.Saved, counted.Drafts));
    }

    /// <summary>The history's table is no wider than its card (no sideways scrolling, nothing cut off at the edge).</summary>
    private static async Task AssertHistoryFitsAsync(IPage page)
    {
        // After a viewport change the drawer and MudBlazor's breakpoints settle over a few frames: judge the settled layout.
        for (var i = 0; i < 25 && !await FitsAsync(page); i++) await Task.Delay(200);
        var widths = await page.GetByTestId("interaction-history").EvaluateAsync<int[]>(
            "h => [h.querySelector('table').getBoundingClientRect().width, h.getBoundingClientRect().width, h.scrollWidth, h.clientWidth].map(Math.round)");
        var sticking = await page.GetByTestId("interaction-history").EvaluateAsync<string>(
            "h => { const r = h.getBoundingClientRect().right; return [...h.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > r + 1)" +
            ".slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right - r) + 'px').join('; '); }");
        Assert.True(widths[0] <= widths[1] + 1 && widths[2] <= widths[3] + 1,
            $"history table {widths[0]} px in a {widths[1]} px card (scroll {widths[2]}/{widths[3]}; past its edge: {sticking}; viewport {page.ViewportSize?.Width})");
    }

    private static async Task<bool> FitsAsync(IPage page) => await page.GetByTestId("interaction-history").EvaluateAsync<bool>(
        "h => h.querySelector('table').getBoundingClientRect().width <= h.getBoundingClientRect().width + 1 && h.scrollWidth <= h.clientWidth + 1");
}
