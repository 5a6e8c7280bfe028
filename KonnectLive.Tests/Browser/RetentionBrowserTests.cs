using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class RetentionBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Retention_AdminSavesAPeriod_SnackbarSaysSaved_AndAuditShorterThanItIsRefused()
    {
        await using var admin = await fixture.SignInAsync("admin");
        await admin.GotoAsync("/configuration/retention");
        var payload = admin.Page.GetByLabel("Inbound payloads (days)");
        var audit = admin.Page.GetByLabel("Audit log (days)");

        await audit.FillAsync("10");
        await audit.BlurAsync();
        await admin.Page.GetByTestId("save-button").ClickAsync();
        await Expect(admin.Page.GetByText("Audit log must be between 30 and 3,650 days.")).ToBeVisibleAsync();

        await audit.FillAsync("730");
        await payload.FillAsync("14");
        await payload.BlurAsync();
        await admin.Page.GetByTestId("save-button").ClickAsync();
        await Expect(admin.Page.Locator(".mud-snackbar").Last).ToContainTextAsync("Retention periods saved");
        await admin.ScreenshotAsync("retention-saved");

        await admin.GotoAsync("/configuration/retention");
        await Expect(admin.Page.GetByLabel("Inbound payloads (days)")).ToHaveValueAsync("14");
    }
}
