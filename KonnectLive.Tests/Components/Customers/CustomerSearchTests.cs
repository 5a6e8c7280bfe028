using Bunit;
using KonnectLive.Desktop.Components.Pages.Customers;
using Microsoft.AspNetCore.Components;

namespace KonnectLive.Tests.Components.Customers;

public sealed class CustomerSearchTests : CustomerComponentTest
{
    private IRenderedComponent<CustomerSearch> RenderAt(string relative)
    {
        Navigation.NavigateTo(relative);
        return Ctx.Render<CustomerSearch>();
    }

    [Fact]
    public async Task Render_SeveralMatches_ListsThemAndFilterNarrowsInUrl()
    {
        await AddCustomerAsync("Zoe", "Smith", registration: "AA11 AAA");
        var adam = await AddCustomerAsync("Adam", "Smith", registration: "BB22 BBB");
        await AddCustomerAsync("Sam", "Smith", dealershipId: OtherDealershipId); // not Me's dealership

        var page = RenderAt("customers/search?q=smith");

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=result-row]").Count), Patience);
        Assert.DoesNotContain("Sam Smith", page.Markup);

        page.Find("input[data-testid=results-filter]").Input("bb22");
        Time.Advance(TimeSpan.FromSeconds(1)); // the filter is debounced on the injected clock

        page.WaitForAssertion(() => Assert.Contains("filter=bb22", Navigation.Uri), Patience);
        page.Render(); // the router would re-supply the query parameters; bUnit re-reads them on render
        page.WaitForAssertion(() =>
            Assert.Equal(adam.CustomerId.ToString(), Assert.Single(page.FindAll("[data-testid=result-row]")).GetAttribute("data-customer-id")), Patience);
    }

    [Fact]
    public async Task Render_SingleMatch_OpensTheCustomer()
    {
        var alice = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);

        RenderAt("customers/search?q=07700%20900123");

        await EventuallyAsync(() => Task.FromResult(Navigation.Uri.EndsWith($"/customers/{alice.CustomerId}")), "the customer page opens");
    }

    [Fact]
    public async Task Render_NoMatchForNumber_ShowsNumberHistoryAndAddContactWhenAllowed()
    {
        var alice = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900999"]);
        await AddCallAsync(alice, "+447700900555", Now.AddHours(-1), 40, "Nadia North");
        await SetAgentsMayEditContactsAsync(true);

        var page = RenderAt("customers/search?q=%2B44%207700%20900555");

        page.WaitForElement("[data-testid=no-match]", Patience);
        Assert.Equal("07700 900555", page.Find("[data-testid=no-match-address]").TextContent.Trim());
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=interaction-row]")), Patience);
        Assert.Contains("customers/new?phone=07700%20900555", page.Find("[data-testid=add-contact]").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_NoMatchWhileAgentsMayNotEdit_NoAddContact()
    {
        await SetAgentsMayEditContactsAsync(false);

        var page = RenderAt("customers/search?q=nobody%40example.com");

        page.WaitForElement("[data-testid=no-match]", Patience);
        Assert.Equal("nobody@example.com", page.Find("[data-testid=no-match-address]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=add-contact]"));
    }
}
