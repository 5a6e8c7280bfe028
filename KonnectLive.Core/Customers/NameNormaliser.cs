using System.Globalization;
using System.Text;

namespace KonnectLive.Core.Customers;

/// <summary>
/// Names (and registrations) as people read them, and as KonnectLive compares them.
/// <see cref="Clean"/> is what is stored: no control characters, no invisible direction marks. <see cref="Key"/> is what
/// is compared: "  ZOË  van Dyke" and "Zoe Van Dyke" have the same key.
/// </summary>
public static class NameNormaliser
{
    /// <summary>
    /// Removes C0 and C1 control characters (a tab or line break becomes a space) and the Unicode direction controls — the
    /// embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069 and the marks U+200E/U+200F — which can make a
    /// name display as something else than it is (a "right-to-left override" reverses what follows). Collapses runs of
    /// whitespace to one space and trims. Null stays null.
    /// </summary>
    public static string? Clean(string? value)
    {
        if (value is null) return null;
        var sb = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var ch in value)
        {
            if (IsDirectionControl(ch)) continue;
            if (char.IsWhiteSpace(ch))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (char.IsControl(ch)) continue;
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The comparison form of a name: cleaned, accents removed (Unicode decomposition, combining marks dropped), case folded.
    /// Empty for null or blank.
    /// </summary>
    public static string Key(string? value)
    {
        var cleaned = Clean(value);
        if (string.IsNullOrEmpty(cleaned)) return "";
        var decomposed = cleaned.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(ch) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
                sb.Append(ch);
        return sb.ToString().Normalize(NormalizationForm.FormC).ToUpperInvariant();
    }

    /// <summary>Whether two names are the same name, ignoring case, accents and spacing.</summary>
    public static bool Same(string? a, string? b) => Key(a) == Key(b);

    private static bool IsDirectionControl(char ch) =>
        ch is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
