using KonnectLive.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>The customer page's admin actions: Export data and Erase customer (confirm dialog, snackbar); others never see them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CustomerPrivacyBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    [Fact]
    public async Task EraseCustomer_AdminConfirms_SnackbarSaysErased_AndSearchNoLongerFindsThem()
    {
        var shop = await App.NewDealershipAsync("Erased", customers: 1);
        var customer = shop.Customers[0];
        await using var admin = await fixture.SignInAsync("admin");
        await admin.GotoAsync($"/customers/{customer.CustomerId}");
        await Expect(admin.Page.GetByTestId("customer-name")).ToHaveTextAsync(customer.Name);
        await Expect(admin.Page.GetByTestId("export-customer")).ToHaveAttributeAsync("href", $"/customers/{customer.CustomerId}/export");

        await admin.Page.GetByTestId("erase-customer").ClickAsync();
        await Expect(admin.Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("This cannot be undone.");
        await admin.ScreenshotAsync("customer-erase-confirm");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Erase", Exact = true }).ClickAsync();

        await Expect(admin.Page.Locator(".mud-snackbar").Last).ToContainTextAsync("Customer erased.");
        await Expect(admin.Page.GetByTestId("customer-name")).ToHaveTextAsync("Erased customer");
        await Expect(admin.Page.GetByTestId("erase-customer")).ToHaveCountAsync(0);

        var search = admin.Page.GetByLabel("Find a customer");
        await search.FillAsync(customer.Name.Split(' ')[^1]);
        await search.PressAsync("Enter");
        await Expect(admin.Page.GetByText("No customer matches", new() { Exact = false }).First).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("supervisor")]
    [InlineData("ho.agent")]
    public async Task CustomerPage_NotAnAdmin_ShowsNoExportOrErase(string userName)
    {
        var shop = await App.NewDealershipAsync("NotErased", customers: 1);
        await using var user = await fixture.SignInAsync(userName);
        await user.GotoAsync($"/customers/{shop.Customers[0].CustomerId}");
        await Expect(user.Page.GetByTestId("customer-name")).ToHaveTextAsync(shop.Customers[0].Name);
        await Expect(user.Page.GetByTestId("erase-customer")).ToHaveCountAsync(0);
        await Expect(user.Page.GetByTestId("export-customer")).ToHaveCountAsync(0);
    }
}
