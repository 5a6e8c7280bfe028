using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>FOCUS pushes records through the API; agents' open pages react without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboundBrowserTests(BrowserFixture fixture)
{
    /// <summary>The app's clock (statuses and event dates are judged by it), not the test's.</summary>
    private DateTimeOffset Now => fixture.App.Service<TimeProvider>().GetUtcNow();

    private async Task<HttpClient> FocusClientAsync()
    {
        var http = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        var token = await http.PostAsJsonAsync("/api/v1/token", new { client_id = "focus-demo", client_secret = "focus-demo-secret" });
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    private object Record(string dealershipCode, string focusId, string status, string lastName, DateTimeOffset changedAt) => new
    {
        focusRecordId = focusId,
        dealershipCode,
        status,
        statusChangedAt = changedAt,
        score = 9,
        eventType = "Service",
        eventDate = Now.UtcDateTime.Date.AddDays(-5).ToString("yyyy-MM-dd"),
        customer = new
        {
            title = "Ms",
            firstName = "Petra",
            lastName,
            email = $"petra.{lastName.ToLowerInvariant()}@example.com",
            phones = new[] { new { number = "07700 900999", type = "Mobile" } },
        },
        vehicle = new { registration = "KL26 API", vin = "KSTAPXTEST0000001", make = "Kestrel", model = "Urban EV" },
    };

    [Fact]
    public async Task PostedAwaitingRecord_AppearsOnOpenChaseList_AndClosingItKeepsTheCallerOnThePageToRecordTheCall()
    {
        // Its own dealership and agents: the watcher's list is this test's alone.
        var shop = await fixture.App.NewDealershipAsync("Inbound", customers: 1);
        var watcherAgent = await fixture.App.NewAgentAsync("Wanda Inbound", shop.Id);
        var callerAgent = await fixture.App.NewAgentAsync("Carl Inbound", shop.Id);
        await using var watcher = await fixture.SignInAsync(watcherAgent.UserName);
        await using var caller = await fixture.SignInAsync(callerAgent.UserName);
        await watcher.GotoAsync("/csi/chase-list");
        var focusId = "FOCUS-BROWSER-" + Guid.NewGuid().ToString("N")[..8];
        var lastName = "Apiwalker";
        // The watcher narrows the list to this customer (a new record sorts among the other never-called ones).
        await watcher.Page.GetByLabel("Search name, registration or phone").FillAsync(lastName);
        await Expect(watcher.Page.GetByText("No customers are awaiting a call for that search")).ToBeVisibleAsync();

        using var focus = await FocusClientAsync();
        var awaiting = await focus.PostAsJsonAsync("/api/v1/csi/records",
            new { records = new[] { Record(shop.Code, focusId, "Awaiting", lastName, Now.AddMinutes(-2)) } });
        var awaitingBody = await awaiting.Content.ReadAsStringAsync();
        Assert.True(awaiting.IsSuccessStatusCode, awaitingBody);
        Assert.Contains("\"result\":\"created\"", awaitingBody);

        // It appears on the open list without a reload.
        var row = watcher.Page.Locator("tr.chase-row", new() { HasText = $"Ms Petra {lastName}" });
        await Expect(row).ToHaveCountAsync(1);
        await watcher.ScreenshotAsync("chase-list-api-record");

        var recordId = int.Parse((await row.Locator("[data-record-id]").GetAttributeAsync("data-record-id"))!);
        await caller.GotoAsync($"/csi/call/{recordId}");
        await Expect(caller.Page.GetByTestId("calling-customer")).ToHaveTextAsync($"Ms Petra {lastName}");

        // The agent is on the call: an outcome chosen and a note typed when FOCUS says the survey is done.
        var page = caller.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = DatabaseInitializer.NoAnswerOutcome }).ClickAsync();
        const string note = "Rang twice; she says she filled it in this morning";
        await page.GetByLabel("Note (optional)").FillAsync(note);
        var range = Reports.AroundToday();
        var countedBefore = await Reports.CountAsync(fixture.App, range, callerAgent.DisplayName, DatabaseInitializer.NoAnswerOutcome);

        var completed = await focus.PostAsJsonAsync("/api/v1/csi/records",
            new { records = new[] { Record(shop.Code, focusId, "Completed", lastName, Now.AddMinutes(-1)) } });
        Assert.True(completed.IsSuccessStatusCode, await completed.Content.ReadAsStringAsync());

        // The page stays, says what happened, and keeps what the agent chose and typed; the record has left every list.
        await Expect(page.GetByTestId("lock-alert")).ToContainTextAsync("is no longer awaiting a call: FOCUS marked the survey Completed");
        await Expect(page.GetByTestId("lock-chip")).ToContainTextAsync("Not locked");
        await Expect(page.GetByTestId("summary-status")).ToHaveTextAsync("Completed"); // the record as it now is
        await Expect(page.GetByLabel("Note (optional)")).ToHaveValueAsync(note);
        await Expect(page.GetByTestId("relist-button")).ToHaveCountAsync(0);
        Assert.EndsWith($"/csi/call/{recordId}", page.Url);
        await Expect(watcher.Page.Locator("tr.chase-row", new() { HasText = $"Ms Petra {lastName}" })).ToHaveCountAsync(0);
        Assert.Null((await fixture.App.RecordAsync(recordId)).LockHolderId);
        await caller.ScreenshotAsync("calling-page-record-closed");
        await page.SetViewportSizeAsync(390, 844);
        await caller.ScreenshotAsync("calling-page-record-closed-narrow");
        await page.SetViewportSizeAsync(1440, 900);
        // Back from the phone size the navigation drawer opens again (a server render) and slides the page across: a click
        // meanwhile can land on the wrong spot. Wait until it is open and its slide is over, then click.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chase List", Exact = true })).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1500);

        // Confirm records the call that took place, with its note, against the record as it now is; reports count it.
        await page.GetByTestId("confirm-button").ClickAsync();
        await caller.WaitForUrlOrScreenshotAsync("**/csi/chase-list", "failure-record-after-close");
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "No answer recorded" }))
            .ToContainTextAsync("No answer recorded. The survey was completed in FOCUS, so the customer stays off the chase list.");
        await using (var db = await fixture.App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
        {
            var attempt = await db.CallAttempts.SingleAsync(a => a.SurveyRecordId == recordId);
            Assert.Equal(note, attempt.Note);
        }
        var stored = await fixture.App.RecordAsync(recordId);
        Assert.Equal((SurveyStatus.Completed, 1), (stored.Status, stored.AttemptCount));
        Assert.Equal(countedBefore + 1, await Reports.CountAsync(fixture.App, range, callerAgent.DisplayName, DatabaseInitializer.NoAnswerOutcome));
    }
}
