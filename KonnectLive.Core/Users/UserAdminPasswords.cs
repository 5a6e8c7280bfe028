using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace KonnectLive.Core.Users;

/// <summary>The password policy as the forms check it, and random passwords that meet it.</summary>
public static class UserAdminPasswords
{
    /// <summary>The product's floor; Identity's own options can only raise it.</summary>
    public const int MinimumLength = 10;
    public const int GeneratedLength = 16;

    // No look-alikes (0/O, 1/l/I) so a password read out over the phone survives.
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "!#$%*+-=?@";

    /// <summary>What is wrong with <paramref name="password"/> under <paramref name="policy"/>; empty when it is acceptable.</summary>
    public static IEnumerable<string> Problems(string? password, PasswordOptions policy)
    {
        password ??= "";
        var length = Math.Max(MinimumLength, policy.RequiredLength);
        if (password.Length < length) yield return $"The password must be at least {length} characters.";
        if (policy.RequireDigit && !password.Any(char.IsAsciiDigit)) yield return "The password must contain a digit.";
        if (policy.RequireLowercase && !password.Any(char.IsAsciiLetterLower)) yield return "The password must contain a lower-case letter.";
        if (policy.RequireUppercase && !password.Any(char.IsAsciiLetterUpper)) yield return "The password must contain an upper-case letter.";
        if (policy.RequireNonAlphanumeric && password.All(char.IsAsciiLetterOrDigit)) yield return "The password must contain a symbol, e.g. ! or #.";
        if (password.Distinct().Count() < policy.RequiredUniqueChars)
            yield return $"The password must use at least {policy.RequiredUniqueChars} different characters.";
    }

    /// <summary>A random password with one of each character class, so it meets any of Identity's rules.</summary>
    public static string Generate()
    {
        var all = Upper + Lower + Digits + Symbols;
        var chars = new List<char> { Pick(Upper), Pick(Lower), Pick(Digits), Pick(Symbols) };
        while (chars.Count < GeneratedLength) chars.Add(Pick(all));
        // Shuffle so the classes are not always in the same positions.
        for (var i = chars.Count - 1; i > 0; i--)
        {
            var j = RandomNumberGenerator.GetInt32(i + 1);
            (chars[i], chars[j]) = (chars[j], chars[i]);
        }
        return new string([.. chars]);
    }

    private static char Pick(string from) => from[RandomNumberGenerator.GetInt32(from.Length)];
}
