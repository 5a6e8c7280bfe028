using Bunit;
using KonnectLive.Desktop.Components.Pages.Customers;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Components.Customers;

public sealed class CustomerPageTests : CustomerComponentTest
{
    private IRenderedComponent<CustomerPage> Render(int customerId) => Ctx.Render<CustomerPage>(p => p.Add(x => x.Id, customerId));

    [Fact]
    public async Task Render_CustomerWithSomeFieldsEmpty_ShowsFilledFieldsOnly()
    {
        var record = await AddCustomerAsync("Alice", "Archer", title: null, email: null, phones: ["+447700900123"], vin: null);

        var page = Render(record.CustomerId);

        page.WaitForElement("[data-testid=customer-details]", Patience);
        Assert.Equal("Alice Archer", page.Find("[data-testid=customer-name]").TextContent.Trim());
        Assert.Contains("Alice", page.Find("[data-testid=field-first-name]").TextContent);
        Assert.Contains("Archer", page.Find("[data-testid=field-last-name]").TextContent);
        Assert.Contains("07700 900123", page.Find("[data-testid=field-phone]").TextContent);
        Assert.Equal("tel:+447700900123", page.Find("[data-testid=phone-callable]").GetAttribute("href"));
        Assert.Contains("YX21 ABC", page.Find("[data-testid=field-vehicle]").TextContent);
        Assert.Contains("Leeds Motors", page.Find("[data-testid=field-dealership]").TextContent);
        Assert.Contains("Awaiting", page.Find("[data-testid=field-survey]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=field-title]"));
        Assert.Empty(page.FindAll("[data-testid=field-email]"));
        Assert.Empty(page.FindAll("[data-testid=field-vin]"));
        Assert.Empty(page.FindAll("[data-testid=copy-email]"));
    }

    [Fact]
    public async Task Render_AwaitingSurvey_CsiVoiceAgentMayOpenItForACall()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);

        var page = Render(record.CustomerId);

        page.WaitForElement("[data-testid=customer-details]", Patience);
        Assert.EndsWith($"csi/call/{record.Id}", page.Find("[data-testid=open-for-call]").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_AwaitingSurvey_UserWithoutCsiVoiceHasNoCallButton()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        SignIn(await CreateUserAsync("no.voice", "No Voice", csiVoice: false));

        var page = Render(record.CustomerId);

        page.WaitForElement("[data-testid=customer-details]", Patience);
        Assert.Empty(page.FindAll("[data-testid=open-for-call]"));
    }

    [Fact]
    public async Task Render_CustomerWithEveryField_ShowsThemAll()
    {
        var record = await AddCustomerAsync("Alice", "Archer", title: "Dr", email: "alice@example.com",
            phones: ["+447700900123", "+441134960000"], vin: "WVWZZZ1JZXW000001");

        var page = Render(record.CustomerId);

        page.WaitForElement("[data-testid=customer-details]", Patience);
        Assert.Contains("Dr", page.Find("[data-testid=field-title]").TextContent);
        Assert.Contains("alice@example.com", page.Find("[data-testid=field-email]").TextContent);
        Assert.Equal(2, page.FindAll("[data-testid=field-phone]").Count);
        Assert.Equal(2, page.FindAll("[data-testid=copy-phone]").Count);
        Assert.Contains("WVWZZZ1JZXW000001", page.Find("[data-testid=field-vin]").TextContent);
    }

    [Fact]
    public async Task Render_UnsubscribedNumber_StruckLabelledAndNotALink()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123", "+447700900456"]);
        await using (var db = await CreateDbAsync())
        {
            var phone = await db.CustomerPhones.SingleAsync(p => p.Number == "+447700900456");
            phone.Unsubscribe(KonnectLive.Core.Customers.ContactChannel.Call, "test", Now);
            await db.SaveChangesAsync();
        }

        var page = Render(record.CustomerId);

        page.WaitForElement("[data-testid=customer-details]", Patience);
        Assert.Single(page.FindAll("[data-testid=phone-callable]"));
        var unsubscribed = page.Find("[data-testid=phone-unsubscribed]");
        Assert.Contains("07700 900456", unsubscribed.TextContent);
        Assert.Contains("phone-unsubscribed", unsubscribed.ClassList);
        Assert.Contains("unsubscribed", unsubscribed.ParentElement!.TextContent);
    }

    [Fact]
    public async Task Render_CustomerOfOtherDealership_NotFoundAndNoData()
    {
        var record = await AddCustomerAsync("Yvonne", "Yorke", email: "yvonne@example.com", dealershipId: OtherDealershipId);

        var page = Render(record.CustomerId);

        page.WaitForElement("[data-testid=customer-not-found]", Patience);
        Assert.DoesNotContain("Yorke", page.Markup);
        Assert.DoesNotContain("yvonne@example.com", page.Markup);
    }

    [Fact]
    public async Task CopyEmail_Clicked_WritesToClipboardAndSaysCopied()
    {
        var record = await AddCustomerAsync("Alice", "Archer", email: "alice@example.com");
        var page = Render(record.CustomerId);
        page.WaitForElement("[data-testid=copy-email]", Patience);

        await page.Find("[data-testid=copy-email]").ClickAsync(new());

        var call = Assert.Single(Ctx.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Equal("alice@example.com", call.Arguments[0]);
        Assert.Contains(Snackbar.ShownSnackbars, s => s.Message == "Copied");
    }

    [Fact]
    public async Task EditButton_AgentsMayNotEdit_Hidden_AllowedShown()
    {
        var record = await AddCustomerAsync("Alice", "Archer");
        await SetAgentsMayEditContactsAsync(false);
        var refused = Render(record.CustomerId);
        refused.WaitForElement("[data-testid=customer-details]", Patience);
        Assert.Empty(refused.FindAll("[data-testid=edit-contact]"));

        await SetAgentsMayEditContactsAsync(true);
        var allowed = Render(record.CustomerId);
        allowed.WaitForElement("[data-testid=edit-contact]", Patience);
    }

    [Fact]
    public async Task Edit_InvalidPhone_ShowsErrorAndSavesNothing()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        await SetAgentsMayEditContactsAsync(true);
        var page = Render(record.CustomerId);
        page.WaitForElement("[data-testid=edit-contact]", Patience).Click();

        page.Find("input[data-testid=contact-phone]").Change("12");
        await page.Find("[data-testid=save-contact]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Not a valid phone number.", page.Markup), Patience);
        await using var db = await CreateDbAsync();
        Assert.Equal("+447700900123", (await db.CustomerPhones.SingleAsync(p => p.CustomerId == record.CustomerId)).Number);
    }

    [Fact]
    public async Task Edit_ValidChange_SavedAndShown()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        await SetAgentsMayEditContactsAsync(true);
        var page = Render(record.CustomerId);
        page.WaitForElement("[data-testid=edit-contact]", Patience).Click();

        page.Find("input[data-testid=contact-first-name]").Change("Alicia");
        await page.Find("[data-testid=save-contact]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Alicia", page.Find("[data-testid=field-first-name]").TextContent), Patience);
        await using var db = await CreateDbAsync();
        Assert.Equal("Alicia", (await db.Customers.SingleAsync(c => c.Id == record.CustomerId)).FirstName);
    }
}
