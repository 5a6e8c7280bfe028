namespace KonnectLive.Core.Messaging;

public enum SmsEncoding { Gsm7, Ucs2 }

/// <summary>How an SMS text travels: its encoding, its length in that encoding's units, and how many parts it is billed as.</summary>
public sealed record SmsCount(SmsEncoding Encoding, int Units, int Segments, int UnitsPerSegment)
{
    /// <summary>Units left in the last segment before another one is needed.</summary>
    public int Remaining => Segments == 0 ? UnitsPerSegment : Segments * UnitsPerSegment - Units;
}

/// <summary>
/// SMS length by the GSM 03.38 rules: a text made only of GSM-7 characters is 160 septets in one message, or 153 per
/// part when concatenated (the user data header takes 7); extension-table characters (^ { } \ [ ] ~ | € and form feed)
/// cost two, and an escape pair is never split across parts. Anything else makes the whole text UCS-2: 70 UTF-16 units
/// in one message, 67 per part, and a surrogate pair (an emoji) is never split across parts.
/// </summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "^{}\\[~]|€\f";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static bool IsGsm7(string text) => text.All(c => BasicSet.Contains(c) || ExtensionSet.Contains(c));

    public static SmsCount Count(string? text)
    {
        text ??= "";
        return IsGsm7(text) ? CountGsm7(text) : CountUcs2(text);
    }

    private static SmsCount CountGsm7(string text)
    {
        var units = text.Sum(c => ExtensionSet.Contains(c) ? 2 : 1);
        if (units == 0) return new(SmsEncoding.Gsm7, 0, 0, 160);
        if (units <= 160) return new(SmsEncoding.Gsm7, units, 1, 160);
        return new(SmsEncoding.Gsm7, units, Pack(text.Select(c => ExtensionSet.Contains(c) ? 2 : 1), 153), 153);
    }

    private static SmsCount CountUcs2(string text)
    {
        var units = text.Length; // UTF-16 code units, as UCS-2/UTF-16 SMS counts them
        if (units <= 70) return new(SmsEncoding.Ucs2, units, units == 0 ? 0 : 1, 70);
        var pieces = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            pieces.Add(pair ? 2 : 1);
            if (pair) i++;
        }
        return new(SmsEncoding.Ucs2, units, Pack(pieces, 67), 67);
    }

    /// <summary>Fills parts of <paramref name="capacity"/> units with indivisible pieces; returns how many parts.</summary>
    private static int Pack(IEnumerable<int> pieces, int capacity)
    {
        int parts = 1, used = 0;
        foreach (var size in pieces)
        {
            if (used + size > capacity) { parts++; used = 0; }
            used += size;
        }
        return parts;
    }
}
