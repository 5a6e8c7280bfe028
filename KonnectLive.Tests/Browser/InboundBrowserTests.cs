using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KonnectLive.Tests.Infrastructure;
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
    public async Task PostedAwaitingRecord_AppearsOnOpenChaseList_AndClosingItTellsTheCallingAgent()
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

        var completed = await focus.PostAsJsonAsync("/api/v1/csi/records",
            new { records = new[] { Record(shop.Code, focusId, "Completed", lastName, Now.AddMinutes(-1)) } });
        Assert.True(completed.IsSuccessStatusCode, await completed.Content.ReadAsStringAsync());

        // The agent on the calling page is told and sent back; the record has left every list.
        await Expect(caller.Page.Locator(".mud-snackbar")).ToContainTextAsync("no longer awaiting a call");
        await caller.WaitForUrlOrScreenshotAsync("/csi/chase-list", "failure-inbound-closed");
        await caller.ScreenshotAsync("calling-page-record-closed");
        await Expect(watcher.Page.Locator("tr.chase-row", new() { HasText = $"Ms Petra {lastName}" })).ToHaveCountAsync(0);
        Assert.Null((await fixture.App.RecordAsync(recordId)).LockHolderId);
    }
}
