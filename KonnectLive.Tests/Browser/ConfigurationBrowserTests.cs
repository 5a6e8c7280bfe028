using KonnectLive.Core.Inbound;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ConfigurationBrowserTests(BrowserFixture fixture)
{
    private static readonly UserScope Restorer = new("browser-test", "Browser test", null, false, [Roles.Admin]);

    [Fact]
    public async Task CsiSettings_AdminChangesAwaitingDelay_NewValueSurvivesReload()
    {
        var settings = fixture.App.Service<CsiSettingsService>();
        var original = await settings.GetAsync();
        var newDelay = original.AwaitingDelayMinutes == 95 ? 100 : 95;
        try
        {
            await using var admin = await fixture.SignInAsync("admin");
            await admin.GotoAsync("/");
            await admin.Page.GetByRole(AriaRole.Link, new() { Name = "CSI Settings" }).ClickAsync();
            await admin.WaitForUrlOrScreenshotAsync("/configuration/csi-settings", "failure-csi-settings-open");
            await admin.WaitInteractiveAsync();

            var delay = admin.Page.GetByLabel("Awaiting message delay (minutes)");
            await Expect(delay).ToHaveValueAsync(original.AwaitingDelayMinutes.ToString());
            await delay.FillAsync(newDelay.ToString());
            await Expect(admin.Page.GetByText("= " + CsiSettingDefinitions.DescribeDelay(newDelay))).ToBeVisibleAsync();
            await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(admin.Page.GetByText("CSI settings saved")).ToBeVisibleAsync();
            await Expect(admin.Page.GetByTestId("last-changed")).ToContainTextAsync("Ada Admin");
            await admin.ScreenshotAsync("csi-settings-saved");

            await admin.Page.ReloadAsync();
            await admin.WaitInteractiveAsync();
            await Expect(admin.Page.GetByLabel("Awaiting message delay (minutes)")).ToHaveValueAsync(newDelay.ToString());
            Assert.Equal(newDelay, (await settings.GetAsync()).AwaitingDelayMinutes);
        }
        finally
        {
            // The app is shared with other browser tests: put the delay back.
            await settings.UpdateAsync(Restorer, original.ToInput());
        }
    }

    [Fact]
    public async Task InboundLog_AdminOpensARequest_SeesItsPayload()
    {
        var marker = $"BROWSER-{Guid.NewGuid():N}";
        // Later than anything the other browser tests post, so it is the first row.
        var receivedAt = fixture.App.Service<TimeProvider>().GetUtcNow().UtcDateTime.AddDays(1);
        await using (var db = fixture.App.Service<Microsoft.EntityFrameworkCore.IDbContextFactory<KonnectLive.Core.Data.KonnectDbContext>>().CreateDbContext())
        {
            db.InboundRequests.Add(new InboundRequest
            {
                ClientId = "browser-test", ReceivedAt = receivedAt, Endpoint = "/api/v1/csi/records", StatusCode = 200,
                RawPayload = $$"""{"records":[{"focusRecordId":"{{marker}}"}]}""", RecordCount = 1, Created = 1,
                ResultsJson = $$"""[{"focusRecordId":"{{marker}}","result":"created"}]""", DurationMs = 42,
            });
            await db.SaveChangesAsync();
        }

        await using var admin = await fixture.SignInAsync("admin");
        await admin.GotoAsync("/configuration/inbound-log");
        await Expect(admin.Page.GetByTestId("client").First).ToHaveTextAsync("browser-test");
        await admin.ScreenshotAsync("inbound-log");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Details of request" }).First.ClickAsync();

        await Expect(admin.Page.GetByTestId("payload")).ToContainTextAsync($"\"focusRecordId\": \"{marker}\"");
        await Expect(admin.Page.GetByTestId("results")).ToContainTextAsync("\"result\": \"created\"");
        await admin.ScreenshotAsync("inbound-log-details");
    }

    [Fact]
    public async Task Outcomes_AdminEditsWrongNumber_DialogShowsOnlyItsNextMessagePickers()
    {
        await using var admin = await fixture.SignInAsync("admin");
        await admin.GotoAsync("/");
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "Outcomes" }).ClickAsync();
        await admin.WaitForUrlOrScreenshotAsync("/configuration/outcomes", "failure-outcomes-open");
        await admin.WaitInteractiveAsync();

        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Edit Wrong number" }).ClickAsync();
        var dialog = admin.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByText("Edit Wrong number")).ToBeVisibleAsync();
        await Expect(dialog.GetByText("The dialled number is marked wrong")).ToBeVisibleAsync();
        await Expect(dialog.GetByLabel("Then send this SMS")).ToBeVisibleAsync();
        await Expect(dialog.GetByText("Reserve the call-back")).ToHaveCountAsync(0);
        await admin.ScreenshotAsync("admin-configuration-outcomes-edit-wrong-number");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Deactivate Voicemail" }).ClickAsync();
        await Expect(admin.Page.GetByText("Deactivate outcome?")).ToBeVisibleAsync();
        await admin.ScreenshotAsync("admin-configuration-outcomes-deactivate-confirm");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync(); // the app is shared: change nothing
        await Expect(admin.Page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }
}
