using KonnectLive.Core.Data;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SupervisorBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    [Fact]
    public async Task ForceRelease_SupervisorReleasesAgentsCall_AgentIsToldStaysAndRecordsTheCallWithTheNote()
    {
        // Its own dealership and agent; the supervisor only watches and releases this test's call.
        var shop = await App.NewDealershipAsync("Supervised", customers: 1);
        var (recordId, customer) = (shop.Customers[0].RecordId, shop.Customers[0].Name);
        var agentUser = await App.NewAgentAsync("Nadia Watched", shop.Id);
        var name = agentUser.DisplayName;
        await using var agent = await fixture.SignInAsync(agentUser.UserName);
        await using var supervisor = await fixture.SignInAsync("supervisor");

        // agent opens a customer: the lock is taken by the calling page. They choose an outcome and type a note.
        await agent.GotoAsync($"/csi/call/{recordId}");
        await Expect(agent.Page.GetByTestId("calling-customer")).ToHaveTextAsync(customer);
        await agent.Page.GetByRole(AriaRole.Button, new() { Name = DatabaseInitializer.VoicemailOutcome }).ClickAsync();
        const string note = "Left a message asking them to look for the survey email";
        await agent.Page.GetByLabel("Note (optional)").FillAsync(note);
        var range = Reports.AroundToday();
        var countedBefore = await Reports.CountAsync(App, range, name, DatabaseInitializer.VoicemailOutcome);

        // The supervisor's live board shows the call, and agent signed in and on it.
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

        // agent's calling page is told at once and stays, with the outcome and the note as they were.
        var page = agent.Page;
        await Expect(page.GetByTestId("lock-alert")).ToContainTextAsync(
            $"Your lock on {customer} was released (released by supervisor Sasha Supervisor: Needed for a complaint call).");
        await Expect(page.GetByTestId("lock-chip")).ToContainTextAsync("Not locked");
        await Expect(page.GetByLabel("Note (optional)")).ToHaveValueAsync(note);
        await Expect(page.GetByTestId("next-button")).ToHaveCountAsync(0);
        Assert.EndsWith($"/csi/call/{recordId}", page.Url);
        Assert.Null((await App.RecordAsync(recordId)).LockHolderId);
        await agent.ScreenshotAsync("agent-force-released");
        await page.SetViewportSizeAsync(390, 844);
        await agent.ScreenshotAsync("agent-force-released-narrow");
        await page.SetViewportSizeAsync(1440, 900);
        // Back from the phone size the navigation drawer opens again (a server render) and slides the page across: a click
        // meanwhile can land on the wrong spot. Wait until it is open and its slide is over, then click.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chase List", Exact = true })).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1500);

        // Confirm records the call that took place; nobody else has the customer, so Voicemail's effect applies too.
        await page.GetByTestId("confirm-button").ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync("**/csi/chase-list", "failure-record-after-force-release");
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "Voicemail recorded" }))
            .ToContainTextAsync($"{customer}: Voicemail recorded; they stay on the chase list.");
        await using (var db = await App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
            Assert.Equal(note, (await db.CallAttempts.OrderByDescending(a => a.Id).FirstAsync(a => a.SurveyRecordId == recordId)).Note);
        Assert.Equal(countedBefore + 1, await Reports.CountAsync(App, range, name, DatabaseInitializer.VoicemailOutcome));
    }
}
