using KonnectLive.Core.Common;

namespace KonnectLive.Tests.Core.Common;

public sealed class WordingTests
{
    [Theory]
    [InlineData(0, "message", null, "0 messages")]
    [InlineData(1, "message", null, "1 message")]
    [InlineData(2, "message", null, "2 messages")]
    [InlineData(1200, "call", null, "1,200 calls")]
    [InlineData(1, "reply", "replies", "1 reply")]
    [InlineData(3, "reply", "replies", "3 replies")]
    public void Plural_Count_SingularOnlyForOne(int count, string singular, string? plural, string expected) =>
        Assert.Equal(expected, Wording.Plural(count, singular, plural));

    [Theory]
    [InlineData("Nadia North", "Nadia North's")]
    [InlineData("Northgate Motors", "Northgate Motors'")]
    [InlineData("EASTFIELD AUTOS", "EASTFIELD AUTOS'")]
    [InlineData("Southbank Cars ", "Southbank Cars'")]
    public void Possessive_Name_ApostropheAloneAfterAnS(string name, string expected) =>
        Assert.Equal(expected, Wording.Possessive(name));
}
