using System.Globalization;

namespace KonnectLive.Core.Common;

/// <summary>
/// Counted nouns and possessives in messages people read: "1 message" / "3 messages", "Northgate Motors' hours" /
/// "Nadia's call-back". Built in one place so a count or a name never comes out as "1 messages" or "Motors's".
/// </summary>
public static class Wording
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>"1 call", "0 calls", "1,200 calls"; <paramref name="plural"/> for nouns that do not just add "s" (e.g. "replies").</summary>
    public static string Plural(int count, string singular, string? plural = null) =>
        $"{count.ToString("N0", EnGb)} {Noun(count, singular, plural)}";

    /// <summary>The noun alone, for when the number is written separately: "call" for 1, else "calls".</summary>
    public static string Noun(int count, string singular, string? plural = null) =>
        count == 1 ? singular : plural ?? singular + "s";

    /// <summary>"Nadia's", "Northgate Motors'" (a name ending in s takes the apostrophe alone, as names of businesses usually do).</summary>
    public static string Possessive(string name)
    {
        var trimmed = name.TrimEnd();
        if (trimmed.Length == 0) return trimmed;
        return trimmed.EndsWith('s') || trimmed.EndsWith('S') ? trimmed + "'" : trimmed + "'s";
    }
}
