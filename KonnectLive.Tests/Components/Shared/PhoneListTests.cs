using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Desktop.Components.Pages.Customers;
using KonnectLive.Desktop.Components.Shared;

namespace KonnectLive.Tests.Components.Shared;

/// <summary>On the real services (a number renders through DialNumber, which asks the telephony settings whether click-to-dial is on):
/// with no provider set up, every callable number is a tel: link.</summary>
public sealed class PhoneListTests : KonnectLive.Tests.Components.Pages.Csi.CsiPageTest
{
    private static readonly PhoneView Mobile = new(1, 1, "+447700900123", "Mobile", CallUnsubscribed: false, SmsUnsubscribed: false);
    private static readonly PhoneView Home = new(2, 2, "+442079460000", "Home", CallUnsubscribed: true, SmsUnsubscribed: false);
    private static readonly PhoneView Work = new(3, 3, "+447400654321", "Work", CallUnsubscribed: false, SmsUnsubscribed: true);
    private static readonly PhoneView WrongMobile = new(4, 4, "+447700900999", "Mobile", CallUnsubscribed: false, SmsUnsubscribed: false, WrongNumber: true);

    [Fact]
    public void Render_CallableNumber_IsTelLinkShownInNationalFormat()
    {
        var cut = Ctx.Render<PhoneList>(p => p.Add(x => x.Phones, [Mobile]));

        var link = cut.Find("[data-testid=phone-callable]");
        Assert.Equal("a", link.TagName, ignoreCase: true);
        Assert.Equal("tel:+447700900123", link.GetAttribute("href"));
        Assert.Equal("07700 900123", link.TextContent.Trim());
    }

    [Fact]
    public void Render_CallUnsubscribedNumber_IsStruckThroughLabelledAndNotALink()
    {
        var cut = Ctx.Render<PhoneList>(p => p.Add(x => x.Phones, [Home]));

        var number = cut.Find("[data-testid=phone-unsubscribed]");
        Assert.Contains("phone-unsubscribed", number.ClassList);
        Assert.Equal("020 7946 0000", number.TextContent.Trim());
        Assert.Null(number.Closest("a"));
        Assert.Empty(cut.FindAll("a[href^='tel:']"));
        Assert.Contains("unsubscribed", cut.Find("[data-testid=phone-row]").TextContent);
    }

    [Fact]
    public void Render_SmsUnsubscribedNumber_StaysCallableAndSaysSmsUnsubscribed()
    {
        var cut = Ctx.Render<PhoneList>(p => p.Add(x => x.Phones, [Mobile, Work]));

        var rows = cut.FindAll("[data-testid=phone-row]");
        Assert.Equal(2, rows.Count);
        Assert.DoesNotContain("SMS unsubscribed", rows[0].TextContent);
        Assert.Contains("SMS unsubscribed", rows[1].TextContent);
        Assert.Equal("tel:+447400654321", rows[1].QuerySelector("a")?.GetAttribute("href"));
    }

    [Fact]
    public void Render_NoNumbers_SaysNoneOnFile()
    {
        var cut = Ctx.Render<PhoneList>(p => p.Add(x => x.Phones, []));

        Assert.Contains("No phone numbers on file.", cut.Markup);
    }

    [Fact]
    public void ClickCallableNumber_RaisesDialledWithThatPhone()
    {
        PhoneView? dialled = null;
        var cut = Ctx.Render<PhoneList>(p => p
            .Add(x => x.Phones, [Home, Mobile, Work])
            .Add(x => x.Dialled, (PhoneView phone) => dialled = phone));

        cut.FindAll("[data-testid=phone-callable]")[1].Click();

        Assert.Equal(Work, dialled);
    }

    [Fact]
    public void Render_WrongNumber_IsStruckThroughLabelledWrongNumberAndNotALink()
    {
        var cut = Ctx.Render<PhoneList>(p => p.Add(x => x.Phones, [WrongMobile, Mobile]));

        var number = cut.Find("[data-testid=phone-wrong-number]");
        Assert.Contains("phone-wrong-number", number.ClassList);
        Assert.Equal("07700 900999", number.TextContent.Trim());
        Assert.Null(number.Closest("a"));
        Assert.Equal("wrong number", cut.Find("[data-testid=wrong-number-chip]").TextContent.Trim());
        Assert.Equal(["tel:+447700900123"], cut.FindAll("a[href^='tel:']").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void Render_WrongAndUnsubscribedNumber_SaysBoth()
    {
        var cut = Ctx.Render<PhoneList>(p => p.Add(x => x.Phones, [WrongMobile with { CallUnsubscribed = true }]));

        var row = cut.Find("[data-testid=phone-row]");
        Assert.Contains("unsubscribed", row.TextContent);
        Assert.Contains("wrong number", row.TextContent);
        Assert.Empty(cut.FindAll("a[href^='tel:']"));
    }

    /// <summary>The customer page shows numbers by the same rules as the calling page.</summary>
    [Fact]
    public void CustomerDetails_WrongNumber_IsStruckThroughLabelledWrongNumberAndNotALink()
    {
        var profile = new CustomerProfile(1, 1, "Leeds Motors", "Mrs", "Ada", "Lovelace", null, false, [WrongMobile, Mobile], [], [], CanEdit: false);

        var cut = Ctx.Render<CustomerDetails>(p => p.Add(x => x.Profile, profile));

        var rows = cut.FindAll("[data-testid=phone-row]");
        Assert.Equal("07700 900999", rows[0].QuerySelector("[data-testid=phone-wrong-number]")?.TextContent.Trim());
        Assert.Contains("phone-wrong-number", rows[0].QuerySelector("[data-testid=phone-wrong-number]")!.ClassList);
        Assert.Equal("wrong number", rows[0].QuerySelector("[data-testid=wrong-number-chip]")?.TextContent.Trim());
        Assert.Null(rows[0].QuerySelector("a[href^='tel:']"));
        Assert.NotNull(rows[1].QuerySelector("a[href='tel:+447700900123']"));
    }
}
