using KonnectLive.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SupervisorBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    [Fact]
    public async Task ForceRelease_SupervisorReleasesAgentsCall_AgentIsToldAndRecordIsFree()
    {
        // Its own dealership and agent; the supervisor only watches and releases this test's call.
        var shop = await App.NewDealershipAsync("Supervised", customers: 1);
        var (recordId, customer) = (shop.Customers[0].RecordId, shop.Customers[0].Name);
        var agentUser = await App.NewAgentAsync("Nadia Watched", shop.Id);
        var name = agentUser.DisplayName;
        await using var agent = await fixture.SignInAsync(agentUser.UserName);
        await using var supervisor = await fixture.SignInAsync("supervisor");

        // The agent opens a customer: the lock is taken by the calling page.
        await agent.GotoAsync($"/csi/call/{recordId}");
        await Expect(agent.Page.GetByTestId("calling-customer")).ToHaveTextAsync(customer);

        // The supervisor's live board shows the call, and the agent signed in and on it.
        await supervisor.GotoAsync("/supervisor/live");
        var row = supervisor.Page.Locator($"[data-testid=call-row][data-record-id='{recordId}']");
        await Expect(row).ToContainTextAsync(name);
        await Expect(row).ToContainTextAsync(customer);
        await Expect(row.GetByTestId("call-timer")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d$"));
        await Expect(supervisor.Page.GetByTestId("presence-table")).ToContainTextAsync($"On a call with {customer}");
        await supervisor.ScreenshotAsync("supervisor-live");

        // Force release, with a reason.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Force release {customer} from {name}" }).ClickAsync();
        var reason = supervisor.Page.GetByRole(AriaRole.Dialog).GetByLabel("Reason");
        await reason.FillAsync("Needed for a complaint call");
        await supervisor.ScreenshotAsync("supervisor-force-release-dialog");
        await supervisor.Page.GetByTestId("force-release-confirm").ClickAsync();
        await Expect(supervisor.Page.Locator(".mud-snackbar")).ToContainTextAsync($"{customer} released from {name}.");
        await Expect(row).ToHaveCountAsync(0);
        await supervisor.ScreenshotAsync("supervisor-live-released");

        // The agent's calling page is told at once and goes back to the chase list.
        await Expect(agent.Page.Locator(".mud-snackbar")).ToContainTextAsync(
            $"Your lock on {customer} was released (released by supervisor Sasha Supervisor: Needed for a complaint call).");
        await agent.WaitForUrlOrScreenshotAsync("/csi/chase-list", "failure-force-release-agent");
        await agent.ScreenshotAsync("agent-force-released");

        Assert.Null((await App.RecordAsync(recordId)).LockHolderId);
    }
}
