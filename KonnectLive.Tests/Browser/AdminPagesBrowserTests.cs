using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>Every admin and supervisor page opens in a real browser, shows its content and no error bar.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPagesBrowserTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/configuration/csi-settings", "CSI Settings", "CSI Positive Response Threshold")]
    [InlineData("/configuration/templates", "Message templates", "CSI survey reminder (SMS)")]
    [InlineData("/configuration/outcomes", "Outcomes", "Reserved for the booking agent for 60 min once due")]
    [InlineData("/configuration/decline-reasons", "Decline Reasons", "Unhappy with the dealership")]
    [InlineData("/configuration/customer-fields", "Customer Fields", "Agents may edit contacts")]
    [InlineData("/configuration/import-customers", "Import Customers", "DealershipCode")]
    [InlineData("/configuration/api-clients", "API Clients", "focus-demo")]
    [InlineData("/configuration/inbound-log", "Inbound Log", "column:Status")]
    [InlineData("/configuration/users", "Users", "agent.north1")]
    [InlineData("/configuration/dealerships", "Dealerships", "Northgate Motors")]
    [InlineData("/configuration/audit-log", "Audit Log", "column:Action")]
    [InlineData("/configuration/retention", "Retention", "Finished messages")]
    [InlineData("/messages", "Messages", "column:State")]
    [InlineData("/supervisor/live", "Live", "Calls in progress")]
    [InlineData("/reports", "Reports", "Export CSV")]
    public async Task AdminPage_Opens_ShowsItsContentWithoutErrors(string path, string heading, string content)
    {
        await using var admin = await fixture.SignInAsync("admin");
        await admin.GotoAsync(path);

        await Expect(admin.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 1 })).ToBeVisibleAsync();
        var expected = content.StartsWith("column:")
            ? admin.Page.GetByRole(AriaRole.Columnheader, new() { Name = content["column:".Length..] }).First
            : admin.Page.GetByText(content).First;
        await Expect(expected).ToBeVisibleAsync();
        await Expect(admin.Page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await admin.ScreenshotAsync("admin" + path.Replace('/', '-'));
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
