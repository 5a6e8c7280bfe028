using System.Text.Json.Nodes;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Telephony;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// Case records in the running app: calls sent through the real telephony service appear on the agent's Cases list and the
/// customer page; close and reopen say so; Configuration → Case Records previews the title and refuses an unknown placeholder.
/// Screenshots at 1366×768 and 390 px.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CasesBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task CasesList_CallsFiled_CloseReopenAndSessions_CustomerPageSection_AndSettingsPreview()
    {
        var shop = await fixture.App.NewDealershipAsync("Cases", customers: 1);
        var agent = await fixture.App.NewAgentAsync("Cara Cases", shop.Id);
        var customer = shop.Customers[0];
        int clientId;
        await using (var db = await fixture.App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
            clientId = await db.ApiClients.Where(c => c.ClientId == DatabaseInitializer.DemoTelephonyClientId).Select(c => c.Id).SingleAsync();
        var now = fixture.App.Service<TimeProvider>().GetUtcNow().UtcDateTime;
        foreach (var (call, minutesAgo) in new[] { ($"cb-{Guid.NewGuid():N}", 20), ($"cb-{Guid.NewGuid():N}", 10) })
        {
            JsonObject Event(string type, int second, string? who = null, string? reason = null) => new()
            {
                ["eventId"] = $"{call}-{type}", ["callId"] = call, ["type"] = type,
                ["occurredAt"] = now.AddMinutes(-minutesAgo).AddSeconds(second).ToString("yyyy-MM-ddTHH:mm:ssZ"), ["direction"] = "inbound",
                ["ani"] = customer.Phone, ["dnis"] = "0113 496 0000", ["queue"] = "CSI", ["language"] = "en", ["agent"] = who, ["reason"] = reason,
            };
            var outcome = await fixture.App.Service<TelephonyEventService>().IngestAsync(new InboundCaller(clientId, DatabaseInitializer.DemoTelephonyClientId),
                new JsonObject { ["events"] = new JsonArray(Event("offered", 0, agent.UserName), Event("answered", 3, agent.UserName), Event("ended", 75, reason: "completed")) }.ToJsonString());
            Assert.True(outcome.StatusCode == 200, outcome.Error);
        }

        await using (var session = await fixture.SignInAsync(agent.UserName))
        {
            await session.Page.SetViewportSizeAsync(1366, 768);
            await session.GotoAsync("/cases");
            var row = session.Page.GetByTestId("case-row");
            await Expect(row).ToHaveCountAsync(1); // one case, two sessions; nothing of other dealerships
            await Expect(row).ToContainTextAsync("2 sessions");
            await Expect(row).ToContainTextAsync(customer.Name);
            await row.GetByTestId("toggle-sessions").ClickAsync();
            await Expect(session.Page.GetByTestId("case-session")).ToHaveCountAsync(2);
            await Expect(session.Page.GetByTestId("case-session").First).ToContainTextAsync("Cara Cases");
            await session.ScreenshotAsync("cases-list-1366");
            await AssertFitsAsync(session.Page, "1366 px with the sessions shown");

            await row.GetByTestId("close-case").ClickAsync();
            await Expect(session.Page.Locator(".mud-snackbar")).ToContainTextAsync("closed");
            await Expect(session.Page.GetByTestId("no-cases")).ToBeVisibleAsync(); // the list shows open cases by default

            // The customer page's Cases section: the closed case, reopened from there.
            await session.GotoAsync($"/customers/{customer.CustomerId}");
            var section = session.Page.GetByTestId("customer-cases");
            await Expect(section.GetByTestId("case-status")).ToContainTextAsync("Closed");
            await section.GetByTestId("reopen-case").ClickAsync();
            await Expect(session.Page.Locator(".mud-snackbar").Last).ToContainTextAsync("reopened");
            await Expect(section.GetByTestId("case-status")).ToContainTextAsync("Open");
            await section.ScrollIntoViewIfNeededAsync();
            await session.ScreenshotAsync("customer-cases-1366");

            await session.Page.SetViewportSizeAsync(390, 844);
            await session.GotoAsync("/cases");
            await Expect(session.Page.GetByTestId("case-row")).ToHaveCountAsync(1);
            await session.ScreenshotAsync("cases-list-390");
            await AssertFitsAsync(session.Page, "390 px");
        }

        await using (var admin = await fixture.SignInAsync("admin"))
        {
            await admin.Page.SetViewportSizeAsync(1366, 768);
            await admin.GotoAsync("/configuration/case-records");
            var template = admin.Page.GetByLabel("Title template");
            await template.FillAsync("{CALL_TYPE} for {CUSTOMER_NAME}");
            await Expect(admin.Page.GetByTestId("title-preview")).ToContainTextAsync("Inbound call for Alice Archer");
            await template.FillAsync("{CALL_TYPE} {CALLER}");
            await Expect(admin.Page.GetByText("Unknown placeholder {CALLER}")).ToBeVisibleAsync();
            await Expect(admin.Page.GetByTestId("save-case-records")).ToBeDisabledAsync();
            await admin.ScreenshotAsync("case-records-settings-1366");
            await admin.Page.SetViewportSizeAsync(390, 844);
            await admin.ScreenshotAsync("case-records-settings-390");
        }
    }

    /// <summary>The cases table fits its card (nothing to scroll sideways) and every Close / Reopen / Sessions button is whole on screen.</summary>
    private static async Task AssertFitsAsync(IPage page, string where)
    {
        var overflow = await page.EvaluateAsync<int>(
            "() => { const d = document.querySelector('.kl-cases'); if (!d) return -1; " +
            "return Math.max(...[d, ...d.querySelectorAll('.mud-table-container')].filter(e => !e.closest('[data-testid=case-sessions]')).map(e => e.scrollWidth - e.clientWidth)); }");
        Assert.True(overflow is >= 0 and <= 1, $"At {where} the cases table is {overflow} px wider than its card");
        var cut = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('[data-testid=close-case],[data-testid=reopen-case],[data-testid=toggle-sessions]')]" +
            ".filter(b => { const r = b.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; }).map(b => b.textContent.trim())");
        Assert.True(cut.Length == 0, $"At {where} these buttons are cut: {string.Join(", ", cut)}");
    }
}
