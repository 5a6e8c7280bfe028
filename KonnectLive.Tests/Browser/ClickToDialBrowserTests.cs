using KonnectLive.Core.Data;
using KonnectLive.Core.Telephony.Dialing;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// Click-to-dial end to end: an admin sets up the provider on Configuration → Telephony, and an agent's click on a number
/// on the calling page and on the customer page reaches a real originate endpoint on 127.0.0.1 carrying the agent's
/// extension and the number.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClickToDialBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ClickANumber_ProviderConfigured_ProviderDialsItFromTheAgentsExtension()
    {
        using var provider = new OriginateServer();
        var shop = await fixture.App.NewDealershipAsync("Dial", customers: 1);
        var agent = await fixture.App.NewAgentAsync("Dora Dial", shop.Id);
        var extension = $"7{Random.Shared.Next(100_000, 999_999)}";
        await using (var db = await fixture.App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
        {
            var user = await db.Users.SingleAsync(u => u.Id == agent.UserId);
            user.Extension = extension;
            await db.SaveChangesAsync();
        }
        var customer = shop.Customers[0];
        try
        {
            // The admin turns click-to-dial on.
            await using (var admin = await fixture.SignInAsync("admin"))
            {
                await admin.GotoAsync("/configuration/telephony");
                await admin.Page.GetByLabel("Originate endpoint").FillAsync(provider.Url);
                await admin.Page.GetByLabel("Key", new() { Exact = true }).FillAsync("browser-dial-key");
                await admin.Page.GetByLabel("Click-to-dial off").CheckAsync();
                await admin.Page.GetByTestId("save-dial").ClickAsync();
                await Expect(admin.Page.Locator(".mud-snackbar")).ToContainTextAsync("Click-to-dial is on");
                await admin.ScreenshotAsync("telephony-settings");
            }

            await using var session = await fixture.SignInAsync(agent.UserName);
            // The calling page: the number is a dial button, and a click reaches the provider.
            await session.GotoAsync($"/csi/call/{customer.RecordId}");
            var number = session.Page.GetByTestId("phone-callable").First;
            await Expect(number).ToHaveAttributeAsync("data-dial", "provider");
            await number.ClickAsync();
            await Expect(session.Page.Locator(".mud-snackbar")).ToContainTextAsync($"extension {extension}");
            await session.ScreenshotAsync("click-to-dial-calling-page");
            var sent = Assert.Single(provider.Received);
            Assert.Equal((extension, customer.Phone, customer.CustomerId, "browser-dial-key"), (sent.Extension, sent.Number, sent.CustomerId, sent.ApiKey));

            // The customer page too.
            await session.GotoAsync($"/customers/{customer.CustomerId}");
            await session.Page.GetByTestId("phone-callable").First.ClickAsync();
            await Expect(session.Page.Locator(".mud-snackbar").Last).ToContainTextAsync("Dialling");
            Assert.Equal(2, provider.Received.Count);
            Assert.All(provider.Received, r => Assert.Equal(extension, r.Extension));
        }
        finally
        {
            // Other browser tests expect tel: links.
            var off = await fixture.App.Service<TelephonySettingsService>().UpdateAsync(new UserScope("test", "test", null, false, [Roles.Admin]),
                new TelephonySettingsInput { DialEnabled = false, OriginateUrl = provider.Url });
            Assert.True(off.Succeeded, off.Message);
        }
    }
}
