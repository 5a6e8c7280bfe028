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
        await using var north1 = await fixture.SignInAsync("agent.north1");
        await using var supervisor = await fixture.SignInAsync("supervisor");
        var (recordId, customer) = await App.FreeAwaitingAsync("NGM");

        // north1 opens a customer: the lock is taken by the calling page.
        await north1.GotoAsync($"/csi/call/{recordId}");
        await Expect(north1.Page.GetByTestId("calling-customer")).ToHaveTextAsync(customer);

        // The supervisor's live board shows the call, and north1 signed in and on it.
        await supervisor.GotoAsync("/supervisor/live");
        var row = supervisor.Page.Locator($"[data-testid=call-row][data-record-id='{recordId}']");
        await Expect(row).ToContainTextAsync("Nadia North");
        await Expect(row).ToContainTextAsync(customer);
        await Expect(row.GetByTestId("call-timer")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d$"));
        await Expect(supervisor.Page.GetByTestId("presence-table")).ToContainTextAsync($"On a call with {customer}");
        await supervisor.ScreenshotAsync("supervisor-live");

        // Force release, with a reason.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Force release {customer} from Nadia North" }).ClickAsync();
        var reason = supervisor.Page.GetByRole(AriaRole.Dialog).GetByLabel("Reason");
        await reason.FillAsync("Needed for a complaint call");
        await supervisor.ScreenshotAsync("supervisor-force-release-dialog");
        await supervisor.Page.GetByTestId("force-release-confirm").ClickAsync();
        await Expect(supervisor.Page.Locator(".mud-snackbar")).ToContainTextAsync($"{customer} released from Nadia North.");
        await Expect(row).ToHaveCountAsync(0);
        await supervisor.ScreenshotAsync("supervisor-live-released");

        // north1's calling page is told at once and goes back to the chase list.
        await Expect(north1.Page.Locator(".mud-snackbar")).ToContainTextAsync(
            $"Your lock on {customer} was released (released by supervisor Sasha Supervisor: Needed for a complaint call).");
        await north1.WaitForUrlOrScreenshotAsync("**/csi/chase-list", "failure-force-release-agent");
        await north1.ScreenshotAsync("agent-force-released");

        Assert.Null((await App.RecordAsync(recordId)).LockHolderId);
    }
}
