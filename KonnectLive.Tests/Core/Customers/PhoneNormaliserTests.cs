using KonnectLive.Core.Customers;

namespace KonnectLive.Tests.Core;

public sealed class PhoneNormaliserTests
{
    [Theory]
    [InlineData("07700 900123")]
    [InlineData("07700900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("+447700900123")]
    [InlineData("(07700) 900-123")]
    [InlineData("  07700 900 123  ")]
    [InlineData("0044 7700 900123")]
    [InlineData("447700900123")] // country code without the +: libphonenumber strips it because the rest is a GB number
    public void ToE164_UkMobileTypedAnyCommonWay_ReturnsE164(string typed)
    {
        Assert.Equal("+447700900123", PhoneNormaliser.ToE164(typed));
    }

    [Theory]
    [InlineData("0113 496 0001", "+441134960001")]
    [InlineData("020 7946 0001", "+442079460001")]
    [InlineData("+33 1 23 45 67 89", "+33123456789")]
    public void ToE164_LandlinesAndForeignNumbers_ReturnsE164(string typed, string expected)
    {
        Assert.Equal(expected, PhoneNormaliser.ToE164(typed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello")]
    [InlineData("123")]
    [InlineData("0770090012345678")]
    public void ToE164_NotAPhoneNumber_ReturnsNull(string? typed)
    {
        Assert.Null(PhoneNormaliser.ToE164(typed));
    }

    [Theory]
    [InlineData("+447911123456", "07911 123456")]
    [InlineData("+441134960001", "0113 496 0001")]
    [InlineData("+442079460001", "020 7946 0001")]
    public void Display_UkNumber_ShowsNationalFormat(string e164, string expected)
    {
        Assert.Equal(expected, PhoneNormaliser.Display(e164));
    }

    // The Ofcom drama range (every demo mobile) is valid in no region, yet is still a UK number.
    [Fact]
    public void Display_DramaRangeMobile_ShowsNationalFormat()
    {
        Assert.Equal("07700 900123", PhoneNormaliser.Display("+447700900123"));
    }

    [Fact]
    public void Display_ForeignNumber_ShowsInternationalFormat()
    {
        Assert.Equal("+33 1 23 45 67 89", PhoneNormaliser.Display("+33123456789"));
    }

    [Fact]
    public void Display_Unparseable_ReturnsInputUnchanged()
    {
        Assert.Equal("not a number", PhoneNormaliser.Display("not a number"));
    }
}
