using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class CustomerBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    [Fact]
    public async Task SearchPhoneFromAppBar_OpensCustomer_NoteAddedShowsInNotesAndHistory()
    {
        var (customerId, name, number) = await UniquePhoneCustomerAsync("NGM");
        await using var agent = await fixture.SignInAsync("agent.north1");
        await agent.GotoAsync("/");

        // Typed as an agent reads it off a screen: national format with spaces.
        var search = agent.Page.GetByLabel("Find a customer");
        await search.FillAsync(PhoneNormaliser.Display(number));
        await search.PressAsync("Enter");

        await agent.WaitForUrlOrScreenshotAsync($"**/customers/{customerId}", "failure-customer-search");
        await Expect(agent.Page.GetByTestId("customer-name")).ToHaveTextAsync(name);
        await Expect(agent.Page.GetByTestId("customer-details")).ToContainTextAsync(PhoneNormaliser.Display(number));
        await Expect(agent.Page.GetByTestId("interaction-history")).ToBeVisibleAsync();
        await agent.ScreenshotAsync("customer-page");

        var text = $"Browser note {Guid.NewGuid():N}";
        await agent.Page.GetByLabel("Add a note").FillAsync(text);
        await agent.Page.GetByTestId("add-note").ClickAsync();
        await Expect(agent.Page.GetByTestId("note-row").First).ToContainTextAsync(text);
        await Expect(agent.Page.GetByTestId("note-row").First).ToContainTextAsync("Nadia North");

        // The same note is the newest row of the interaction history, without reloading the page; a click shows it whole.
        var history = agent.Page.GetByTestId("interaction-history");
        var newest = history.GetByTestId("interaction-row").First;
        await Expect(newest).ToHaveAttributeAsync("data-kind", "Note");
        await Expect(newest).ToContainTextAsync(text);
        await Expect(newest).ToContainTextAsync("Nadia North");
        await newest.ClickAsync();
        await Expect(history.GetByTestId("interaction-note-text")).ToHaveTextAsync(text);
        await agent.ScreenshotAsync("customer-note-in-history");
    }

    /// <summary>A customer of the dealership whose first number no other customer of that dealership has.</summary>
    private async Task<(int Id, string Name, string Number)> UniquePhoneCustomerAsync(string dealershipCode)
    {
        await using var db = await App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var phones = await db.CustomerPhones.AsNoTracking()
            .Join(db.Customers.Where(c => c.Dealership.Code == dealershipCode), p => p.CustomerId, c => c.Id,
                (p, c) => new { p.Number, c.Id, c.Title, c.FirstName, c.LastName })
            .ToListAsync();
        var unique = phones.GroupBy(p => p.Number).Where(g => g.Count() == 1).Select(g => g.Single()).OrderBy(p => p.Id).First();
        return (unique.Id, string.Join(' ', new[] { unique.Title, unique.FirstName, unique.LastName }.Where(s => !string.IsNullOrEmpty(s))), unique.Number);
    }
}
