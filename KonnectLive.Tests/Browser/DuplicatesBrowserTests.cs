using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// The right person: a household pushed by FOCUS stays two customers an agent can find; two entries of one person are
/// offered to the admin side by side, merged, and a household marked different people.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DuplicatesBrowserTests(BrowserFixture fixture)
{
    private static readonly Random Rnd = new();

    /// <summary>A surname nobody else in the demo data has (letters only: the app-bar search reads digits as a number).</summary>
    private static string UniqueSurname(string stem) =>
        stem + new string(Enumerable.Range(0, 6).Select(_ => (char)('a' + Rnd.Next(26))).ToArray());

    private static string UniqueNumber() => $"+44 7911 {Rnd.Next(100_000, 999_999)}";

    private async Task<HttpClient> FocusClientAsync()
    {
        var http = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        var token = await http.PostAsJsonAsync("/api/v1/token",
            new { client_id = DatabaseInitializer.DemoApiClientId, client_secret = DatabaseInitializer.DemoApiClientSecret });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());
        return http;
    }

    private static object Record(string focusId, string title, string first, string last, string email, string registration,
        params (string Number, string Type)[] phones) => new
    {
        focusRecordId = focusId,
        dealershipCode = "NGM",
        status = "Awaiting",
        statusChangedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
        score = 9,
        eventType = "Service",
        eventDate = DateTime.UtcNow.Date.AddDays(-4).ToString("yyyy-MM-dd"),
        customer = new { title, firstName = first, lastName = last, email, phones = phones.Select(p => new { number = p.Number, type = p.Type }) },
        vehicle = new { registration, make = "Kestrel", model = "Aero" },
    };

    private async Task PushAsync(params object[] records)
    {
        using var focus = await FocusClientAsync();
        var response = await focus.PostAsJsonAsync("/api/v1/csi/records", new { records });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal(records.Length, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("counts").GetProperty("created").GetInt32());
    }

    private async Task<int> CustomerIdAsync(string focusRecordId)
    {
        await using var db = await fixture.App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        return await db.SurveyRecords.Where(r => r.FocusRecordId == focusRecordId).Select(r => r.CustomerId).SingleAsync();
    }

    [Fact]
    public async Task HouseholdPushedByFocus_AppBarSearchForTheSurname_ListsBothWithTheirOwnDetails()
    {
        var surname = UniqueSurname("Household");
        var home = UniqueNumber();
        var id = Guid.NewGuid().ToString("N")[..8];
        await PushAsync(Record($"HH-A-{id}", "Mrs", "Anna", surname, $"anna.{id}@example.com", "HA11 AAA", (home, "Home"), (UniqueNumber(), "Mobile")));
        await PushAsync(Record($"HH-B-{id}", "Mr", "Ben", surname, $"ben.{id}@example.com", "HB22 BBB", (home, "Home"), (UniqueNumber(), "Mobile")));

        await using var agent = await fixture.SignInAsync("agent.north1");
        await agent.GotoAsync("/");
        var search = agent.Page.GetByLabel("Find a customer");
        await search.FillAsync(surname);
        await search.PressAsync("Enter");

        await agent.WaitForUrlOrScreenshotAsync("**/customers/search?q=*", "failure-household-search");
        var rows = agent.Page.GetByTestId("result-row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = $"Mrs Anna {surname}" })).ToContainTextAsync($"anna.{id}@example.com");
        await Expect(rows.Filter(new() { HasText = $"Mr Ben {surname}" })).ToContainTextAsync($"ben.{id}@example.com");
        await Expect(rows.Filter(new() { HasText = $"Mrs Anna {surname}" })).ToContainTextAsync("HA11 AAA");
        await Expect(rows.Filter(new() { HasText = $"Mr Ben {surname}" })).ToContainTextAsync("HB22 BBB");
        await agent.ScreenshotAsync("household-search");
    }

    [Fact]
    public async Task PossibleDuplicates_AgentSeesTheNotice_AdminComparesMergesAndMarksAHousehold()
    {
        var surname = UniqueSurname("Dupe");
        var mobile = UniqueNumber();
        var home = UniqueNumber();
        var id = Guid.NewGuid().ToString("N")[..8];
        // One person entered twice by FOCUS (a misspelt first name), and a household on the same home number.
        await PushAsync(
            Record($"DU-1-{id}", "Mr", "Carl", surname, $"carl.{id}@example.com", "DU11 AAA", (mobile, "Mobile"), (home, "Home")),
            Record($"DU-2-{id}", "Mr", "Karl", surname, $"karl.{id}@example.com", "DU22 BBB", (mobile, "Mobile")),
            Record($"DU-3-{id}", "Mrs", "Dora", surname, $"dora.{id}@example.com", "DU33 CCC", (home, "Home")));
        var (carl, karl, dora) = (await CustomerIdAsync($"DU-1-{id}"), await CustomerIdAsync($"DU-2-{id}"), await CustomerIdAsync($"DU-3-{id}"));

        // An agent on the customer page is told, without a way to merge.
        await using (var agent = await fixture.SignInAsync("agent.north1"))
        {
            await agent.GotoAsync($"/customers/{karl}");
            await Expect(agent.Page.GetByTestId("possible-duplicate")).ToContainTextAsync("Possible duplicate");
            await Expect(agent.Page.Locator("a[href*='customers/duplicates']")).ToHaveCountAsync(0);
            await agent.ScreenshotAsync("customer-possible-duplicate-agent");
        }

        await using var admin = await fixture.SignInAsync("admin");
        await admin.GotoAsync("/");
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "Possible duplicates" }).ClickAsync();
        await admin.WaitForUrlOrScreenshotAsync("**/customers/duplicates", "failure-duplicates-menu");
        await admin.WaitInteractiveAsync();
        var misspelt = admin.Page.Locator($"[data-pair='{carl}-{karl}']");
        var household = admin.Page.Locator($"[data-pair='{carl}-{dora}']");
        await Expect(misspelt).ToContainTextAsync($"Mr Carl {surname}");
        await Expect(misspelt).ToContainTextAsync($"Mr Karl {surname}");
        await Expect(misspelt).ToContainTextAsync($"karl.{id}@example.com");
        await Expect(misspelt).ToContainTextAsync("DU22 BBB");
        await Expect(household).ToContainTextAsync($"Mrs Dora {surname}");
        await misspelt.ScrollIntoViewIfNeededAsync();
        await admin.ScreenshotAsync("possible-duplicates");
        await admin.Page.SetViewportSizeAsync(390, 844);
        await misspelt.ScrollIntoViewIfNeededAsync();
        await admin.Page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, "possible-duplicates-390.png"), FullPage = false });
        await admin.Page.SetViewportSizeAsync(1440, 900);

        // The household: different people, remembered.
        await household.GetByTestId("different-people").ClickAsync();
        await admin.Page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Different people", Exact = true }).ClickAsync();
        await Expect(admin.Page.Locator(".mud-snackbar")).ToContainTextAsync("Marked as different people");
        await Expect(household).ToHaveCountAsync(0);

        // The misspelt entry: merged into Carl.
        await misspelt.GetByTestId("merge-into-first").ClickAsync();
        await admin.Page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();
        await Expect(admin.Page.Locator(".mud-snackbar").Last).ToContainTextAsync($"Merged into Mr Carl {surname}");
        await Expect(misspelt).ToHaveCountAsync(0);

        // Still remembered after a reload; Karl's survey and car are Carl's now.
        await admin.GotoAsync($"/customers/duplicates?customer={carl}");
        await Expect(admin.Page.GetByTestId("no-duplicates")).ToBeVisibleAsync();
        await admin.GotoAsync($"/customers/{carl}");
        await Expect(admin.Page.GetByTestId("customer-details")).ToContainTextAsync("DU22 BBB");
        await Expect(admin.Page.Locator($"[data-focus-id='DU-2-{id}']")).ToHaveCountAsync(1);
        await Expect(admin.Page.GetByTestId("possible-duplicate")).ToHaveCountAsync(0);
        await using var db = await fixture.App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Customers.AnyAsync(c => c.Id == karl));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "customer.merged" && a.CustomerId == carl));
    }
}
