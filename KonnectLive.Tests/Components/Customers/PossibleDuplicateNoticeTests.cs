using Bunit;
using KonnectLive.Desktop.Components.Pages.Customers;

namespace KonnectLive.Tests.Components.Customers;

public sealed class PossibleDuplicateNoticeTests : CustomerComponentTest
{
    private IRenderedComponent<CustomerPage> Render(int customerId) => Ctx.Render<CustomerPage>(p => p.Add(x => x.Id, customerId));

    [Fact]
    public async Task Render_CustomerSharingNumberAndLastName_AgentSeesTheNoticeWithoutTheAdminLink()
    {
        var anna = await AddCustomerAsync("Anna", "Family", phones: ["+441134960000"]);
        var again = await AddCustomerAsync("Anne", "FAMILY", phones: ["+441134960000"]);

        var page = Render(anna.CustomerId);

        page.WaitForElement("[data-testid=possible-duplicate]", Patience);
        var chip = page.Find("[data-testid=possible-duplicate]");
        Assert.Contains("Possible duplicate", chip.TextContent);
        Assert.Contains($"#{again.CustomerId}", chip.GetAttribute("aria-label"));
        Assert.Empty(page.FindAll("a[href*='customers/duplicates']"));
    }

    [Fact]
    public async Task Render_HouseholdWithAnotherSurnameOrOnlyCustomer_NoNotice()
    {
        var alone = await AddCustomerAsync("Anna", "Family", phones: ["+441134960000"]);
        await AddCustomerAsync("Lou", "Lodger", phones: ["+441134960000"]);

        var page = Render(alone.CustomerId);

        page.WaitForElement("[data-testid=customer-details]", Patience);
        Assert.Empty(page.FindAll("[data-testid=possible-duplicate]"));
    }
}
