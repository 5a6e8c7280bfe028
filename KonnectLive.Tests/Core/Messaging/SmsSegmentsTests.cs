using KonnectLive.Core.Messaging;

namespace KonnectLive.Tests.Core.Messaging;

public sealed class SmsSegmentsTests
{
    public static TheoryData<string, SmsEncoding, int, int> Cases => new()
    {
        { "", SmsEncoding.Gsm7, 0, 0 },
        { "Hello", SmsEncoding.Gsm7, 5, 1 },
        { new string('a', 160), SmsEncoding.Gsm7, 160, 1 },
        { new string('a', 161), SmsEncoding.Gsm7, 161, 2 },
        { new string('a', 306), SmsEncoding.Gsm7, 306, 2 },
        { new string('a', 307), SmsEncoding.Gsm7, 307, 3 },
        { new string('a', 459), SmsEncoding.Gsm7, 459, 3 },
        { "£10 @ Café à Øresund ÄÖÑÜ §¿¡", SmsEncoding.Gsm7, 29, 1 },
        // Extension characters cost two septets each.
        { "Price: 10€", SmsEncoding.Gsm7, 11, 1 },
        { new string('€', 80), SmsEncoding.Gsm7, 160, 1 },
        { new string('€', 80) + "a", SmsEncoding.Gsm7, 161, 2 },
        { "{}[]~|^\\", SmsEncoding.Gsm7, 16, 1 },
        // An escape pair is never split: 152 single septets then € (2) does not fit the first 153-septet part's last septet.
        { new string('a', 152) + "€" + new string('a', 10), SmsEncoding.Gsm7, 164, 2 },
        // 306 septets would fit two parts if the pair could be split; it cannot, so three.
        { new string('a', 152) + "€" + new string('a', 152), SmsEncoding.Gsm7, 306, 3 },
        // One non-GSM character makes the whole text UCS-2.
        { "Hello ✓", SmsEncoding.Ucs2, 7, 1 },
        { "Cześć", SmsEncoding.Ucs2, 5, 1 },
        { new string('ł', 70), SmsEncoding.Ucs2, 70, 1 },
        { new string('ł', 71), SmsEncoding.Ucs2, 71, 2 },
        { new string('ł', 134), SmsEncoding.Ucs2, 134, 2 },
        { new string('ł', 135), SmsEncoding.Ucs2, 135, 3 },
        // An emoji is two UTF-16 units and is never split across parts.
        { "😀", SmsEncoding.Ucs2, 2, 1 },
        { new string('ł', 66) + "😀" + new string('ł', 3), SmsEncoding.Ucs2, 71, 2 },
        { new string('ł', 66) + "😀" + new string('ł', 66), SmsEncoding.Ucs2, 134, 3 },
        // Lower-case ç is not in GSM-7 (only Ç is); nor is the curly apostrophe that phones like to type.
        { "façade", SmsEncoding.Ucs2, 6, 1 },
        { "we’re", SmsEncoding.Ucs2, 5, 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Count_Text_EncodingUnitsAndSegments(string text, SmsEncoding encoding, int units, int segments)
    {
        var count = SmsSegments.Count(text);

        Assert.Equal(encoding, count.Encoding);
        Assert.Equal(units, count.Units);
        Assert.Equal(segments, count.Segments);
    }

    [Theory]
    [InlineData(5, 155)]
    [InlineData(160, 0)]
    [InlineData(161, 145)]
    public void Remaining_Gsm7Text_UnitsLeftInLastPart(int length, int remaining) =>
        Assert.Equal(remaining, SmsSegments.Count(new string('x', length)).Remaining);
}
