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
        // Its own dealership, customer and agent; the customer's number is in a range no demo customer uses.
        var shop = await App.NewDealershipAsync("Searched", customers: 1);
        var (customerId, name, number) = (shop.Customers[0].CustomerId, shop.Customers[0].Name, shop.Customers[0].Phone);
        var me = await App.NewAgentAsync("Nina Notes", shop.Id);
        await using var agent = await fixture.SignInAsync(me.UserName);
        await agent.GotoAsync("/");

        // Typed as an agent reads it off a screen: national format with spaces.
        var search = agent.Page.GetByLabel("Find a customer");
        await search.FillAsync(PhoneNormaliser.Display(number));
        await search.PressAsync("Enter");

        await agent.WaitForUrlOrScreenshotAsync($"/customers/{customerId}", "failure-customer-search");
        await Expect(agent.Page.GetByTestId("customer-name")).ToHaveTextAsync(name);
        await Expect(agent.Page.GetByTestId("customer-details")).ToContainTextAsync(PhoneNormaliser.Display(number));
        await Expect(agent.Page.GetByTestId("interaction-history")).ToBeVisibleAsync();
        await agent.ScreenshotAsync("customer-page");

        var text = $"Browser note {Guid.NewGuid():N}";
        await agent.Page.GetByLabel("Add a note").FillAsync(text);
        await agent.Page.GetByTestId("add-note").ClickAsync();
        await Expect(agent.Page.GetByTestId("note-row").First).ToContainTextAsync(text);
        await Expect(agent.Page.GetByTestId("note-row").First).ToContainTextAsync(me.DisplayName);

        // The same note is the newest row of the interaction history, without reloading the page; a click shows it whole.
        var history = agent.Page.GetByTestId("interaction-history");
        var newest = history.GetByTestId("interaction-row").First;
        await Expect(newest).ToHaveAttributeAsync("data-kind", "Note");
        await Expect(newest).ToContainTextAsync(text);
        await Expect(newest).ToContainTextAsync(me.DisplayName);
        await newest.ClickAsync();
        await Expect(history.GetByTestId("interaction-note-text")).ToHaveTextAsync(text);
        await agent.ScreenshotAsync("customer-note-in-history");
    }

    [Fact]
    public async Task NoteAddedAndEditedByOneAgent_AppearsForAnotherViewingTheCustomer_WithoutReload()
    {
        var shop = await App.NewDealershipAsync("Livenotes", customers: 1);
        var customer = shop.Customers[0];
        var writerAgent = await App.NewAgentAsync("Wren Writer", shop.Id);
        var readerAgent = await App.NewAgentAsync("Rhea Reader", shop.Id);
        await using var writer = await fixture.SignInAsync(writerAgent.UserName);
        await using var reader = await fixture.SignInAsync(readerAgent.UserName);
        await reader.GotoAsync($"/customers/{customer.CustomerId}");
        await writer.GotoAsync($"/customers/{customer.CustomerId}");
        await Expect(reader.Page.GetByTestId("no-notes")).ToBeVisibleAsync();
        // The reader is half-way through a note of their own: an update arriving must not wipe it.
        await reader.Page.GetByLabel("Add a note").FillAsync("Reader's half-written note");

        var text = $"Live note {Guid.NewGuid():N}";
        await writer.Page.GetByLabel("Add a note").FillAsync(text);
        await writer.Page.GetByTestId("add-note").ClickAsync();

        // The reader's page shows it without a reload: the notes panel, its count and the interaction history.
        var row = reader.Page.GetByTestId("note-row").First;
        await Expect(row).ToContainTextAsync(text);
        await Expect(row).ToContainTextAsync(writerAgent.DisplayName);
        await Expect(row.GetByTestId("edit-note")).ToHaveCountAsync(0); // another agent's note: read-only for the reader
        await Expect(reader.Page.GetByTestId("notes-heading")).ToHaveTextAsync("Notes (1)");
        await Expect(reader.Page.GetByTestId("interaction-history").GetByTestId("interaction-row").First).ToContainTextAsync(text);
        await Expect(reader.Page.GetByLabel("Add a note")).ToHaveValueAsync("Reader's half-written note");
        await reader.ScreenshotAsync("customer-note-live");

        // The writer corrects it; the reader sees the correction.
        await writer.Page.GetByTestId("note-row").First.GetByTestId("edit-note").ClickAsync();
        await writer.Page.GetByLabel("Edit the note").FillAsync(text + " (corrected)");
        await writer.Page.GetByTestId("save-note").ClickAsync();
        await Expect(row).ToContainTextAsync(text + " (corrected)");
        await Expect(row.GetByTestId("note-meta")).ToContainTextAsync("edited");
        await Expect(reader.Page.GetByLabel("Add a note")).ToHaveValueAsync("Reader's half-written note");
    }
}
