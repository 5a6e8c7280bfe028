using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>Every admin and supervisor page opens in a real browser, shows its content and no error bar.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPagesBrowserTests(BrowserFixture fixture)
{
    /// <summary>Each admin page: (path, its heading, something only it shows).</summary>
    private static readonly (string Path, string Heading, string Content)[] Pages =
    [
        ("/configuration/csi-settings", "CSI Settings", "CSI Positive Response Threshold"),
        ("/configuration/templates", "Message templates", "CSI survey reminder (SMS)"),
        ("/configuration/outcomes", "Outcomes", "Reserved for the booking agent for 60 min once due"),
        ("/configuration/decline-reasons", "Decline Reasons", "Unhappy with the dealership"),
        ("/configuration/customer-fields", "Customer Fields", "Agents may edit contacts"),
        ("/configuration/import-customers", "Import Customers", "DealershipCode"),
        ("/configuration/api-clients", "API Clients", "focus-demo"),
        ("/configuration/inbound-log", "Inbound Log", "column:Status"),
        ("/configuration/users", "Users", "agent.north1"),
        ("/configuration/dealerships", "Dealerships", "Northgate Motors"),
        ("/configuration/audit-log", "Audit Log", "column:Action"),
        ("/configuration/retention", "Retention", "Finished messages"),
        ("/messages", "Messages", "column:State"),
        ("/supervisor/live", "Live", "Calls in progress"),
        ("/reports", "Reports", "Export CSV"),
        ("/configuration/case-records", "Case Records", "Delay case creation until the call connects to an agent"),
        ("/configuration/request-types", "Request Types", "Complaint"),
        ("/cases", "Cases", "Case records filed from phone calls"),
    ];

    /// <summary>
    /// Every admin page in one signed-in session (one sign-in, not one per page: the browser phase of ./test.sh runs alone):
    /// each opens with its heading and its own content and no error bar. A failing page is named with its screenshot.
    /// </summary>
    [Fact]
    public async Task AdminPages_EachOpens_ShowsItsContentWithoutErrors()
    {
        await using var admin = await fixture.SignInAsync("admin");
        foreach (var (path, heading, content) in Pages)
        {
            await admin.GotoAsync(path);
            try
            {
                await Expect(admin.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 1 })).ToBeVisibleAsync();
                var expected = content.StartsWith("column:")
                    ? admin.Page.GetByRole(AriaRole.Columnheader, new() { Name = content["column:".Length..] }).First
                    : admin.Page.GetByText(content).First;
                await Expect(expected).ToBeVisibleAsync();
                await Expect(admin.Page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
            }
            catch (PlaywrightException ex)
            {
                await admin.ScreenshotAsync("failure-admin" + path.Replace('/', '-'));
                throw new Xunit.Sdk.XunitException($"{path}: {ex.Message}");
            }
            await admin.ScreenshotAsync("admin" + path.Replace('/', '-'));
        }
    }

    [Theory]
    [InlineData("agent.north1", "/configuration/users")]
    [InlineData("agent.north1", "/supervisor/live")]
    [InlineData("supervisor", "/configuration/csi-settings")]
    public async Task AdminPage_WithoutTheRole_IsDenied(string user, string path)
    {
        await using var session = await fixture.SignInAsync(user);
        await session.Page.GotoAsync(path);
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
    }
}
