using Bunit;
using KonnectLive.Desktop.Components.Shared;
using Microsoft.AspNetCore.Components.Web;

namespace KonnectLive.Tests.Components.Customers;

public sealed class ContactSearchBoxTests : CustomerComponentTest
{
    [Fact]
    public async Task Enter_OneMatch_NavigatesToTheCustomer()
    {
        var alice = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        var box = Ctx.Render<ContactSearchBox>();

        var input = box.Find("input[data-testid=contact-search]");
        input.Input("(07700) 900-123");
        await input.KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });

        await EventuallyAsync(() => Task.FromResult(Navigation.Uri.EndsWith($"/customers/{alice.CustomerId}")), "the customer page opens");
    }

    [Fact]
    public async Task Enter_SeveralMatches_NavigatesToTheResults()
    {
        await AddCustomerAsync("Zoe", "Smith");
        await AddCustomerAsync("Adam", "Smith");
        var box = Ctx.Render<ContactSearchBox>();

        var input = box.Find("input[data-testid=contact-search]");
        input.Input("smith");
        await input.KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });

        await EventuallyAsync(() => Task.FromResult(Navigation.Uri.EndsWith("/customers/search?q=smith")), "the results open");
    }
}
