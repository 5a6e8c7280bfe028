using KonnectLive.Core.Customers;

namespace KonnectLive.Tests.Core.Customers;

public sealed class NameNormaliserTests
{
    [Theory]
    [InlineData("Anna", "Anna")]
    [InlineData("  Anna   Marie  ", "Anna Marie")]
    [InlineData("Anna\tMarie", "Anna Marie")]
    [InlineData("Anna\r\nMarie", "Anna Marie")]
    [InlineData("An\u0000na\u0007", "Anna")]
    [InlineData("An\u007Fna\u0085", "Anna")]
    [InlineData("\u202EannA\u202C", "annA")] // right-to-left override: would show the name backwards
    [InlineData("\u2066Anna\u2069 \u200EFamily\u200F", "Anna Family")]
    [InlineData("\u202A\u202B\u202D", "")]
    [InlineData("Zoë O'Brien-Łukasz", "Zoë O'Brien-Łukasz")] // letters and punctuation stay as they are
    [InlineData("AB12\u202E CDE", "AB12 CDE")]
    public void Clean_RemovesControlsAndDirectionMarks(string input, string expected)
    {
        Assert.Equal(expected, NameNormaliser.Clean(input));
    }

    [Theory]
    [InlineData("Zoë", "ZOE")]
    [InlineData("  zoe  ", "ZOE")]
    [InlineData("ZOË", "ZOE")]
    [InlineData("Zoe\u0308", "ZOE")] // the diaeresis as a combining mark
    [InlineData("van   Dyke", "VAN DYKE")]
    [InlineData("Müller", "MULLER")]
    [InlineData("Ångström", "ANGSTROM")]
    [InlineData("\u202EFamily", "FAMILY")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Key_IgnoresCaseAccentsAndSpacing(string? input, string expected)
    {
        Assert.Equal(expected, NameNormaliser.Key(input));
    }

    [Theory]
    [InlineData("Anna", "Ben", false)]
    [InlineData("Anna", "Anne", false)]
    [InlineData("José", "JOSE", true)]
    [InlineData("Mary Ann", "Mary  ann", true)]
    [InlineData("MaryAnn", "Mary Ann", false)]
    public void Same_ComparesKeys(string a, string b, bool same)
    {
        Assert.Equal(same, NameNormaliser.Same(a, b));
    }
}
