using System.Text.RegularExpressions;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using KonnectLive.Tests.Browser;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Security;

/// <summary>An admin turns "two-factor required" on in Configuration → Security, is taken to enrol (not locked out), cannot
/// reach another page until enrolled, enrols with a code computed here, and is back in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoFactorRequiredBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AdminTurnsItOn_IsSentToEnrol_HeldThereUntilEnrolled_ThenBackIn()
    {
        // A new admin of its own: the demo admin the other browser tests sign in with stays without two-factor.
        var me = await fixture.App.NewAgentAsync("Secura Admin", dealershipId: null);
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByIdAsync(me.UserId))!;
            await users.RemoveFromRoleAsync(user, Roles.Agent);
            await users.AddToRoleAsync(user, Roles.Admin);
        }
        var settings = fixture.App.Service<SecuritySettingsService>();
        await using var session = await fixture.SignInAsync(me.UserName);
        var page = session.Page;
        try
        {
            await session.GotoAsync("/configuration/security");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Security", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("me-not-enrolled")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("staff-not-enrolled")).ToContainTextAsync(me.DisplayName);
            await page.SetViewportSizeAsync(1366, 768);
            await session.ScreenshotAsync("security-settings-1366");
            await page.SetViewportSizeAsync(390, 844);
            await session.ScreenshotAsync("security-settings-390");
            Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), "Security scrolls sideways at 390 px");
            await page.SetViewportSizeAsync(1366, 768);

            // Keyboard: the switch by its role and name, Space to turn it on, then Save.
            var toggle = page.GetByRole(AriaRole.Switch);
            await toggle.FocusAsync();
            await page.Keyboard.PressAsync("Space");
            await Expect(page.GetByText("Required", new() { Exact = true })).ToBeVisibleAsync();
            await page.GetByTestId("save-button").ClickAsync();

            // Not refused: taken to enrol, and held there.
            await session.WaitForUrlOrScreenshotAsync(TwoFactorRequirement.EnrolPath, "failure-2fa-required-not-sent");
            await Expect(page.GetByTestId("two-factor-required")).ToBeVisibleAsync();
            await page.GotoAsync("/configuration/users");
            await session.WaitForUrlOrScreenshotAsync(TwoFactorRequirement.EnrolPath, "failure-2fa-required-not-held");
            await page.SetViewportSizeAsync(1366, 768);
            await session.ScreenshotAsync("two-factor-required-1366");
            await page.SetViewportSizeAsync(390, 844);
            await session.ScreenshotAsync("two-factor-required-390");
            Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), "the enrolment page scrolls sideways at 390 px");
            await page.SetViewportSizeAsync(1366, 768);

            // Enrol with the code an authenticator app would show now.
            var key = Regex.Replace(await page.GetByTestId("shared-key").InnerTextAsync(), @"\s", "").ToUpperInvariant();
            await page.GetByLabel("Code from the app").FillAsync(TwoFactorTests.Totp(key, 0));
            await page.GetByLabel("Code from the app").PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Two-factor sign-in is on.");
            await Expect(page.GetByTestId("recovery-codes")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Turn two-factor sign-in off" })).ToHaveCountAsync(0);

            // Back in: any page opens again.
            await session.GotoAsync("/configuration/users");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
            await session.GotoAsync("/configuration/security");
            await Expect(page.GetByRole(AriaRole.Switch)).ToBeCheckedAsync();
            await Expect(page.GetByTestId("me-not-enrolled")).ToHaveCountAsync(0);
        }
        finally
        {
            var admin = (await fixture.App.Service<UserScopeLoader>().LoadAsync(me.UserId))!;
            await settings.UpdateAsync(admin, new SecuritySettingsInput { RequireTwoFactorForStaff = false });
        }
    }
}
